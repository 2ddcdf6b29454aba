/**
 * The contract every Ballast pattern shares: {@link dev.ballast.Policy}, {@link dev.ballast.Gate},
 * {@link dev.ballast.Pipeline}, the outcome classification ({@link dev.ballast.OutcomeClassifier}),
 * injected time ({@link dev.ballast.Ticker}) and the single refusal type {@link
 * dev.ballast.RejectedException}.
 */
@NullMarked
package dev.ballast;

import org.jspecify.annotations.NullMarked;
