package dev.ballast.testkit.internal;

/**
 * The reason phrases of the HTTP statuses the harness answers with, shared by the harness (which
 * writes them) and the demo (which prints them). Not API: the package is not exported.
 *
 * <p>Stateless and thread-safe.
 */
public final class HttpStatus {
  private HttpStatus() {}

  /**
   * The reason phrase of {@code status}.
   *
   * @param status an HTTP status code
   * @return its reason phrase, or {@code "Status <code>"} for one the harness does not use
   */
  public static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }
}
