/**
 * Ballast: the stability patterns of <em>Release It!</em> as composable policies.
 *
 * <p>Exports the shared contract ({@code dev.ballast}) and one package per pattern; {@code
 * dev.ballast.internal} stays closed.
 */
module dev.ballast {
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.ballast;
  exports dev.ballast.circuitbreaker;
  exports dev.ballast.faultcounter;
  exports dev.ballast.fallback;
  exports dev.ballast.timeout;
  exports dev.ballast.retry;
}
