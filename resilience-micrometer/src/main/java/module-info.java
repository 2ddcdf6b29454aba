/**
 * Ballast's Micrometer binders: publish what Ballast components are doing as Micrometer meters,
 * under Ballast's names or, optionally, under Resilience4j's.
 */
module dev.ballast.micrometer {
  requires transitive dev.ballast;
  requires transitive micrometer.core;
  requires org.jspecify;

  exports dev.ballast.micrometer;
}
