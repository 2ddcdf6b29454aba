/**
 * Ballast: the stability patterns of <em>Release It!</em> as composable policies.
 *
 * <p>Exports the shared contract ({@code dev.ballast}) and one package per pattern; {@code
 * dev.ballast.internal} stays closed.
 *
 * <p>Needs {@code org.slf4j} and {@code org.jspecify} at run time and nothing else. JSpecify is
 * required transitively because its annotations ({@code @Nullable}, {@code @NullMarked}) are part
 * of the API's signatures: a module that requires {@code dev.ballast} reads them too.
 */
module dev.ballast {
  requires org.slf4j;
  requires transitive org.jspecify;

  exports dev.ballast;
  exports dev.ballast.bulkhead;
  exports dev.ballast.circuitbreaker;
  exports dev.ballast.faultcounter;
  exports dev.ballast.fallback;
  exports dev.ballast.timeout;
  exports dev.ballast.retry;
  exports dev.ballast.shed;
  exports dev.ballast.governor;
  exports dev.ballast.ratelimiter;
  exports dev.ballast.queue;
  exports dev.ballast.registry;
}
