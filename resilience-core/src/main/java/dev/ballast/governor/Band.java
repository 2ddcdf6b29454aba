package dev.ballast.governor;

/**
 * The normal operating band and the distance from it, in band widths (the x axis of the book's
 * U-shaped resistance curve). When one end is unbounded, or the band is a single point, the unit is
 * the finite end's magnitude (at least 1).
 */
final class Band {
  private final double min;
  private final double max;
  private final double unit;

  Band(GovernorConfig config) {
    this.min = config.bandMin();
    this.max = config.bandMax();
    double width = max - min;
    if (Double.isFinite(width) && width > 0) {
      unit = width;
    } else {
      double edge = Double.isFinite(min) ? Math.abs(min) : Double.isFinite(max) ? Math.abs(max) : 1;
      unit = Math.max(edge, 1);
    }
  }

  /** How far {@code state} lies outside the band, in band widths; 0 inside. */
  double distance(double state) {
    if (state < min) {
      return (min - state) / unit;
    }
    if (state > max) {
      return (state - max) / unit;
    }
    return 0;
  }

  String describe(double state, double distance, String verb) {
    return "resulting state "
        + state
        + " lies "
        + distance
        + " band widths outside ["
        + min
        + ", "
        + max
        + "], past the distance to "
        + verb;
  }
}
