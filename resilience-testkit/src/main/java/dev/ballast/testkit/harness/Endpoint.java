package dev.ballast.testkit.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port of a {@link Harness} and the misbehavior it serves, with its counters and its run-time
 * switch.
 *
 * <p>{@link #enabled(boolean) enabled(false)} makes the port answer healthily until it is enabled
 * again; {@link #healthyFor()} does the same for the length of a try-with-resources block. For
 * {@link Misbehavior#tcpRefuse()} and {@link Misbehavior#tcpNeverAccept()} the switch rebinds the
 * same port with a healthy listener, and back; it closes the port's open connections to do so.
 *
 * <p>Instances are thread-safe.
 */
public final class Endpoint {
  private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads
  /*
   * Implementation notes: every thread this endpoint starts (one acceptor, one per connection) is
   * in `threads` until it ends, and every socket it opens is in `sockets` until it is closed, so
   * close() can close them all (which unblocks reads, writes and accepts), interrupt the threads
   * (which unblocks sleeps) and join them. `server`, `fillers` and the switch's transitions are
   * guarded by `this`; `enabled` is volatile so handlers read the latest value without locking.
   */
  private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
  private static final int NEVER_READ_RECEIVE_BUFFER = 1024;
  private static final int FILLER_CONNECT_MILLIS = 250;
  private static final int MAX_FILLERS = 16;
  private static final int REBIND_MILLIS = 2000;

  private final Harness harness;
  private final Misbehavior misbehavior;
  private final InetAddress bindAddress;
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong faults = new AtomicLong();
  private final AtomicLong decisions = new AtomicLong();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final List<Socket> fillers = new ArrayList<>();
  private volatile boolean enabled = true;
  private volatile boolean closed;
  private volatile int port;
  private @Nullable ServerSocket server;
  private @Nullable Thread acceptor;

  Endpoint(Harness harness, Misbehavior misbehavior, InetAddress bindAddress) {
    this.harness = harness;
    this.misbehavior = misbehavior;
    this.bindAddress = bindAddress;
  }

  /**
   * The endpoint's name, that of its misbehavior.
   *
   * @return the name
   */
  public String name() {
    return misbehavior.name();
  }

  /**
   * The misbehavior this port serves.
   *
   * @return the misbehavior
   */
  public Misbehavior misbehavior() {
    return misbehavior;
  }

  /**
   * The port, chosen by the system when the harness started.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The address and port to connect to.
   *
   * @return the socket address
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(bindAddress, port);
  }

  /**
   * Whether the misbehavior is switched on.
   *
   * @return true unless {@link #enabled(boolean) enabled(false)} or a {@link #healthyFor()} scope
   *     switched it off
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Switches the misbehavior on, or off (the port then answers healthily). Connections already
   * being served carry on as they started, except on the two port-level misbehaviors, whose
   * connections are closed so the port can be rebound.
   *
   * @param enabled true for the misbehavior, false for the healthy answer
   * @return this endpoint
   */
  public Endpoint enabled(boolean enabled) {
    lock.lock();
    try {
      if (this.enabled == enabled) {
        return this;
      }
      this.enabled = enabled;
      if (!closed && misbehavior.kind().portLevel()) {
        closeListener();
        // Connections on the port keep it bound and would block the rebind.
        for (Socket socket : sockets) {
          closeQuietly(socket);
        }
        rebind();
      }
      harness.record(name(), "-", enabled ? "enabled" : "disabled");
      return this;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Switches the misbehavior off until the returned scope closes, which restores the state before
   * this call.
   *
   * @return the scope, for try-with-resources
   */
  public Scope healthyFor() {
    boolean previous;
    lock.lock();
    try {
      previous = enabled;
      enabled(false);
    } finally {
      lock.unlock();
    }
    return new Scope(this, previous);
  }

  /**
   * How many connections the port accepted.
   *
   * @return the count
   */
  public long connections() {
    return connections.get();
  }

  /**
   * How many HTTP requests the port read (always 0 for TCP misbehaviors).
   *
   * @return the count
   */
  public long requests() {
    return requests.get();
  }

  /**
   * How many connections or requests got the misbehavior rather than the healthy answer.
   *
   * @return the count
   */
  public long faults() {
    return faults.get();
  }

  @Override
  public String toString() {
    return "127.0.0.1".equals(bindAddress.getHostAddress())
        ? port + " " + misbehavior
        : bindAddress.getHostAddress() + ":" + port + " " + misbehavior;
  }

  /** A scope that keeps an endpoint healthy until it closes. Not thread-safe: close it once. */
  public static final class Scope implements AutoCloseable {
    private final Endpoint endpoint;
    private final boolean previous;
    private boolean closed;

    Scope(Endpoint endpoint, boolean previous) {
      this.endpoint = endpoint;
      this.previous = previous;
    }

    /** Restores the endpoint's switch to what it was when the scope opened. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        endpoint.enabled(previous);
      }
    }
  }

  // ---- life cycle ----

  void start() throws IOException {
    lock.lock();
    try {
      if (misbehavior.kind() == Misbehavior.Kind.TCP_REFUSE) {
        try (ServerSocket reserve = new ServerSocket(0, 1, bindAddress)) {
          port = reserve.getLocalPort();
        }
      } else {
        openListener(0);
      }
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      closeListener();
      for (Socket socket : sockets) {
        closeQuietly(socket);
      }
      for (Thread thread : threads) {
        thread.interrupt();
      }
      boolean interrupted = false;
      for (Thread thread : threads) {
        try {
          thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reopens the port, retrying briefly while the closed sockets release it. */
  private void rebind() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REBIND_MILLIS);
    while (true) {
      try {
        openListener(port);
        return;
      } catch (IOException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new UncheckedIOException("could not rebind port " + port + " of " + name(), e);
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while rebinding port " + port, e);
      }
    }
  }

  /** Opens the listener the current state calls for; port 0 picks an ephemeral port. */
  private void openListener(int requestedPort) throws IOException {
    boolean fault = enabled;
    Misbehavior.Kind kind = misbehavior.kind();
    if (fault && kind == Misbehavior.Kind.TCP_REFUSE) {
      return;
    }
    ServerSocket listener = new ServerSocket();
    try {
      listener.setReuseAddress(true);
      if (kind == Misbehavior.Kind.TCP_ACCEPT_NEVER_READ) {
        listener.setReceiveBufferSize(NEVER_READ_RECEIVE_BUFFER);
      }
      boolean neverAccept = fault && kind == Misbehavior.Kind.TCP_NEVER_ACCEPT;
      listener.bind(new InetSocketAddress(bindAddress, requestedPort), neverAccept ? 1 : 50);
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
    server = listener;
    port = listener.getLocalPort();
    if (fault && kind == Misbehavior.Kind.TCP_NEVER_ACCEPT) {
      fillBacklog();
    } else {
      acceptor = startThread(() -> acceptLoop(listener));
    }
  }

  /** Connects until a connection attempt times out: the accept queue is then full. */
  private void fillBacklog() throws IOException {
    for (int i = 0; i < MAX_FILLERS; i++) {
      Socket filler = new Socket();
      try {
        filler.connect(new InetSocketAddress(bindAddress, port), FILLER_CONNECT_MILLIS);
        fillers.add(filler);
      } catch (SocketTimeoutException e) {
        filler.close();
        return;
      }
    }
    log.warn(
        "{}: {} connections did not fill the backlog; clients may connect", name(), MAX_FILLERS);
  }

  private void closeListener() {
    ServerSocket listener = server;
    server = null;
    if (listener != null) {
      closeQuietly(listener);
    }
    // The JDK closes a listening socket for good only once the thread blocked in accept() has
    // woken up; until then the port still completes handshakes. Wait for the acceptor to end.
    Thread waitFor = acceptor;
    acceptor = null;
    if (waitFor != null && waitFor != Thread.currentThread()) {
      try {
        waitFor.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Socket filler : fillers) {
      closeQuietly(filler);
    }
    fillers.clear();
  }

  private void acceptLoop(ServerSocket listener) {
    while (!closed && !listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return; // closed by close() or by the switch
      }
      sockets.add(socket);
      if (closed) {
        closeQuietly(socket);
        sockets.remove(socket);
        return;
      }
      connections.incrementAndGet();
      String remote = String.valueOf(socket.getRemoteSocketAddress());
      harness.record(name(), remote, "connect");
      Thread unused = startThread(() -> serve(socket, remote));
    }
  }

  private void serve(Socket socket, String remote) {
    try {
      Behaviors.serve(this, socket, remote);
    } catch (IOException e) {
      // the client went away or close() closed the socket: nothing to serve any more
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(socket);
      sockets.remove(socket);
    }
  }

  private Thread startThread(Runnable body) {
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } finally {
                threads.remove(Thread.currentThread());
              }
            },
            "ballast-harness-" + name() + "-" + threadNumber.getAndIncrement());
    thread.setDaemon(true);
    threads.add(thread);
    if (closed) {
      threads.remove(thread);
      return thread;
    }
    thread.start();
    return thread;
  }

  // ---- used by Behaviors ----

  /** Decides whether the next connection or request gets the misbehavior, and counts it. */
  boolean nextIsFault(String remote) {
    boolean fault = enabled && misbehavior.appliesTo(decisions.incrementAndGet());
    if (fault) {
      faults.incrementAndGet();
    }
    harness.record(name(), remote, fault ? "fault" : "healthy");
    return fault;
  }

  long decisionNumber() {
    return decisions.get();
  }

  void requestRead(String remote, String requestLine) {
    requests.incrementAndGet();
    harness.record(name(), remote, requestLine);
  }

  boolean isClosed() {
    return closed;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing on the way out: nothing useful to do with the failure
    }
  }
}
