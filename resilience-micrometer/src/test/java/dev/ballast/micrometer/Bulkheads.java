package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.BulkheadFullException;

/** Bulkheads for the binders' tests, and calls through them that are admitted or refused. */
final class Bulkheads {
  private Bulkheads() {}

  /** A bulkhead of {@code limit} permits that refuses at once when they are all held. */
  static Bulkhead of(String name, int limit) {
    return Bulkhead.of(name, BulkheadConfig.builder().maxConcurrentCalls(limit).build());
  }

  /** Takes a permit, which the caller must release. */
  static long hold(Bulkhead bulkhead) {
    long permit = bulkhead.tryAcquire();
    assertThat(permit).as("a permit of %s", bulkhead).isNotEqualTo(Gate.REFUSED);
    return permit;
  }

  /** A call the bulkhead refuses, every permit being held. */
  static void refused(Bulkhead bulkhead) {
    assertThatThrownBy(() -> bulkhead.run(() -> {})).isInstanceOf(BulkheadFullException.class);
  }

  /** Fills the bulkhead of {@code limit} permits, has one call refused, then frees it again. */
  static void fillAndRefuseOne(Bulkhead bulkhead, int limit) {
    long[] permits = new long[limit];
    for (int i = 0; i < limit; i++) {
      permits[i] = hold(bulkhead);
    }
    refused(bulkhead);
    for (long permit : permits) {
      bulkhead.release(permit);
    }
  }
}
