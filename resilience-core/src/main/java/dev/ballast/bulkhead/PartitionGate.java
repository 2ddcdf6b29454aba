package dev.ballast.bulkhead;

import dev.ballast.Gate;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The gate of one reserved partition of a {@link Bulkhead} ({@link Bulkhead#partition(String)}):
 * admits through the partition's slots and releases through the bulkhead. Thread-safe.
 */
final class PartitionGate implements Gate {
  private final Bulkhead bulkhead;
  private final BulkheadConfig.Partition partition;
  final int index;
  private final LongAdder rejections = new LongAdder();

  PartitionGate(Bulkhead bulkhead, BulkheadConfig.Partition partition, int index) {
    this.bulkhead = bulkhead;
    this.partition = partition;
    this.index = index;
  }

  /**
   * {@inheritDoc}
   *
   * @throws BulkheadFullException when the partition's permits (and, when it borrows, the
   *     unreserved ones) are all in use and the call could not wait for one
   */
  @Override
  public long acquire() {
    long permit = tryAcquire();
    if (permit == REFUSED) {
      BulkheadStats stats = bulkhead.stats();
      throw new BulkheadFullException(
          bulkhead.name(), partition.name(), stats.inFlight(), stats.maxConcurrentCalls());
    }
    return permit;
  }

  @Override
  public long tryAcquire() {
    return bulkhead.tryAcquire(index, rejections);
  }

  @Override
  public void onResult(long permit, @Nullable Object result) {
    bulkhead.onResult(permit, result);
  }

  @Override
  public void onError(long permit, Throwable error) {
    bulkhead.onError(permit, error);
  }

  @Override
  public void release(long permit) {
    bulkhead.release(permit);
  }

  BulkheadStats.PartitionStats stats(int inUse) {
    return new BulkheadStats.PartitionStats(
        partition.name(), partition.reserved(), inUse, rejections.sum());
  }

  /**
   * @return {@code bulkhead[name/partition]}
   */
  @Override
  public String toString() {
    return "bulkhead[" + bulkhead.name() + "/" + partition.name() + "]";
  }
}
