/**
 * The bulkhead: a limit on concurrent calls, so that one slow dependency cannot take every thread
 * of the process (<em>Release It!</em>, "Bulkheads"). Start at {@link
 * dev.ballast.bulkhead.Bulkhead}.
 */
@NullMarked
package dev.ballast.bulkhead;

import org.jspecify.annotations.NullMarked;
