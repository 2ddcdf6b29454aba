package dev.ballast.testkit.harness;

import dev.ballast.testkit.internal.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Serves one accepted connection the way an endpoint's misbehavior says. Not API. */
final class Behaviors {
  static final byte[] TCP_HEALTHY = "OK\n".getBytes(StandardCharsets.US_ASCII);
  static final String JSON_HEALTHY = "{\"status\":\"ok\"}";
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int DRAIN_MILLIS = 500;
  private static final int RESET_WAIT_MILLIS = 100;
  private static final int CHUNK = 64 * 1024;

  private Behaviors() {}

  static void serve(Endpoint endpoint, Socket socket, String remote)
      throws IOException, InterruptedException {
    Misbehavior m = endpoint.misbehavior();
    if (m.kind().http()) {
      serveHttp(endpoint, socket, remote, m);
    } else {
      serveTcp(endpoint, socket, remote, m);
    }
  }

  private static void serveTcp(Endpoint endpoint, Socket socket, String remote, Misbehavior m)
      throws IOException, InterruptedException {
    if (!endpoint.nextIsFault(remote)) {
      socket.getOutputStream().write(TCP_HEALTHY);
      finish(socket);
      return;
    }
    OutputStream out = socket.getOutputStream();
    switch (m.kind()) {
      case TCP_NEVER_ACCEPT, TCP_REFUSE -> finish(socket); // only reached through the switch
      case TCP_ACCEPT_THEN_SILENCE -> drain(socket.getInputStream());
      case TCP_ACCEPT_NEVER_READ -> holdUntilClosed(endpoint);
      case TCP_RESET -> {
        // Wait for the client's first byte, briefly: a reset that races the client's connect
        // shows up in connect() rather than in the read a client expects it in.
        socket.setSoTimeout(RESET_WAIT_MILLIS);
        try {
          socket.getInputStream().read();
        } catch (SocketTimeoutException e) {
          // the client sends nothing first: reset anyway
        }
        socket.setSoLinger(true, 0);
        socket.close();
      }
      case TCP_CLOSE_AFTER_BYTES -> {
        writeFilled(out, m.parameters(Parameters.ByteCount.class).bytes(), (byte) 'x');
        finish(socket);
      }
      case TCP_SLOW_CLOSE -> {
        out.write(TCP_HEALTHY);
        out.flush();
        sleep(m.parameters(Parameters.Pause.class).delay());
        finish(socket);
      }
      case TCP_DRIP -> {
        Parameters.Drip drip = m.parameters(Parameters.Drip.class);
        byte[] tick = filled(drip.bytesPerTick(), (byte) 'x');
        while (!endpoint.isClosed()) {
          out.write(tick);
          out.flush();
          sleep(drip.interval());
        }
      }
      case TCP_LATENCY -> {
        sleep(m.parameters(Parameters.Latency.class).of(endpoint.decisionNumber()));
        out.write(TCP_HEALTHY);
        finish(socket);
      }
      case TCP_GARBAGE -> {
        Parameters.Garbage garbage = m.parameters(Parameters.Garbage.class);
        SplittableRandom random = garbage.random(endpoint.decisionNumber());
        byte[] buffer = new byte[CHUNK];
        for (long left = garbage.bytes(); left > 0; ) {
          int n = (int) Math.min(left, buffer.length);
          for (int i = 0; i < n; i++) {
            buffer[i] = (byte) random.nextInt(256);
          }
          out.write(buffer, 0, n);
          left -= n;
        }
        finish(socket);
      }
      default -> throw new IllegalStateException("not a TCP misbehavior: " + m.kind());
    }
  }

  private static void serveHttp(Endpoint endpoint, Socket socket, String remote, Misbehavior m)
      throws IOException, InterruptedException {
    InputStream in = socket.getInputStream();
    String requestLine = readRequest(in);
    if (requestLine == null) {
      finish(socket);
      return;
    }
    endpoint.requestRead(remote, requestLine);
    OutputStream out = socket.getOutputStream();
    if (!endpoint.nextIsFault(remote)) {
      respond(out, 200, "application/json", "", JSON_HEALTHY);
      finish(socket);
      return;
    }
    switch (m.kind()) {
      case HTTP_NO_REPLY -> drain(in);
      case HTTP_HEADERS_NO_BODY -> {
        out.write(
            head(200, "application/json", m.parameters(Parameters.ByteCount.class).bytes(), ""));
        out.flush();
        drain(in);
      }
      case HTTP_DRIP_BODY -> {
        Parameters.DripBody drip = m.parameters(Parameters.DripBody.class);
        out.write(head(200, "application/octet-stream", drip.totalBytes(), ""));
        out.flush();
        for (long left = drip.totalBytes(); left > 0 && !endpoint.isClosed(); ) {
          int n = (int) Math.min(left, drip.bytesPerTick());
          writeFilled(out, n, (byte) 'x');
          out.flush();
          left -= n;
          if (left > 0) {
            sleep(drip.interval());
          }
        }
        finish(socket);
      }
      case HTTP_STATUS -> {
        Parameters.Status answer = m.parameters(Parameters.Status.class);
        int status = answer.code();
        Duration retryAfter = answer.retryAfter();
        String extra = "";
        if (retryAfter != null) {
          long seconds = (retryAfter.toMillis() + 999) / 1000; // whole seconds, rounded up
          extra = "Retry-After: " + seconds + "\r\n";
        }
        if (status == 401) {
          extra += "WWW-Authenticate: Bearer realm=\"ballast-harness\"\r\n";
        }
        respond(
            out,
            status,
            "application/json",
            extra,
            "{\"error\":\"" + HttpStatus.reason(status) + "\"}");
        finish(socket);
      }
      case HTTP_WRONG_CONTENT_TYPE -> {
        respond(out, 200, "text/plain; charset=utf-8", "", JSON_HEALTHY);
        finish(socket);
      }
      case HTTP_HTML -> {
        respond(
            out,
            200,
            "text/html; charset=utf-8",
            "",
            "<!DOCTYPE html><html><head><title>Bad Gateway</title></head>"
                + "<body><h1>502 Bad Gateway</h1><p>upstream unavailable</p></body></html>");
        finish(socket);
      }
      case HTTP_EMPTY -> {
        respond(out, 200, "application/json", "", "");
        finish(socket);
      }
      case HTTP_HUGE_BODY -> {
        long bytes = m.parameters(Parameters.ByteCount.class).bytes();
        out.write(head(200, "application/json", bytes, ""));
        writeHugeJson(out, bytes);
        finish(socket);
      }
      case HTTP_SLOW_JSON -> {
        sleep(m.parameters(Parameters.Pause.class).delay());
        respond(out, 200, "application/json", "", JSON_HEALTHY);
        finish(socket);
      }
      default -> throw new IllegalStateException("not an HTTP misbehavior: " + m.kind());
    }
  }

  /** Reads the request head and any Content-Length body; returns the request line, or null. */
  private static @org.jspecify.annotations.Nullable String readRequest(InputStream in)
      throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || head.size() >= MAX_HEADER_BYTES) {
        return null;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    List<String> lines = text.lines().toList();
    long contentLength = 0;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        try {
          contentLength = Long.parseLong(line.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    for (long left = contentLength; left > 0; ) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          return null;
        }
        skipped = 1;
      }
      left -= skipped;
    }
    return lines.isEmpty() ? null : lines.get(0);
  }

  private static void respond(
      OutputStream out, int status, String contentType, String extraHeaders, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(head(status, contentType, bytes.length, extraHeaders));
    out.write(bytes);
    out.flush();
  }

  private static byte[] head(int status, String contentType, long length, String extraHeaders) {
    return ("HTTP/1.1 "
            + status
            + " "
            + HttpStatus.reason(status)
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + length
            + "\r\nConnection: close\r\n"
            + extraHeaders
            + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Writes {@code [0,0,...,0]}, padded with spaces, exactly {@code size} bytes, in chunks. */
  private static void writeHugeJson(OutputStream out, long size) throws IOException {
    long middle = size - 3; // "[" + middle + "0]"
    long items = middle / 2;
    out.write('[');
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < chunk.length; i += 2) {
      chunk[i] = '0';
      chunk[i + 1] = ',';
    }
    for (long left = items * 2; left > 0; ) {
      int n = (int) Math.min(left, chunk.length);
      out.write(chunk, 0, n);
      left -= n;
    }
    if (middle % 2 == 1) {
      out.write(' ');
    }
    out.write('0');
    out.write(']');
    out.flush();
  }

  private static void writeFilled(OutputStream out, long count, byte value) throws IOException {
    byte[] chunk = filled((int) Math.min(count, CHUNK), value);
    for (long left = count; left > 0; ) {
      int n = (int) Math.min(left, chunk.length);
      out.write(chunk, 0, n);
      left -= n;
    }
    out.flush();
  }

  private static byte[] filled(int count, byte value) {
    byte[] bytes = new byte[count];
    Arrays.fill(bytes, value);
    return bytes;
  }

  /** Half-closes, then reads what the client still sends so closing sends FIN, not RST. */
  private static void finish(Socket socket) throws IOException {
    if (socket.isClosed()) {
      return;
    }
    socket.getOutputStream().flush();
    socket.shutdownOutput();
    socket.setSoTimeout(DRAIN_MILLIS);
    try {
      drain(socket.getInputStream());
    } catch (SocketTimeoutException e) {
      // the client keeps the connection open; close it anyway
    }
    socket.close();
  }

  /** Reads and discards until end of stream. */
  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    while (in.read(buffer) >= 0) {
      // discard
    }
  }

  private static void holdUntilClosed(Endpoint endpoint) throws InterruptedException {
    while (!endpoint.isClosed()) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static void sleep(Duration duration) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(duration.toNanos());
  }
}
