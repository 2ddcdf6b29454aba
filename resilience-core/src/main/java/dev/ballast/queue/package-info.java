/**
 * Back pressure: {@link dev.ballast.queue.BoundedQueue}, a bounded {@link
 * java.util.concurrent.BlockingQueue} with an overflow policy that tells back pressure from load
 * and back pressure from a stalled consumer (<em>Release It!</em>, "Create Back Pressure").
 */
@NullMarked
package dev.ballast.queue;

import org.jspecify.annotations.NullMarked;
