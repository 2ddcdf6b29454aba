package dev.ballast.governor;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.governor.Decision.Reason;
import dev.ballast.governor.Decision.Verdict;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A governor (<em>Release It!</em>): it limits the speed of an automated engine so that people have
 * time to get involved. Before each action the engine asks {@link #decide(String, double)}, naming
 * the action kind and the state the action would leave (a fleet's size after scaling, say); the
 * governor answers with a {@link Decision}:
 *
 * <ul>
 *   <li>each kind has its own rate ({@link GovernorConfig#actions()}), so the directions are
 *       asymmetric: scaling up 20 per minute, scaling down 2 per 10 minutes;
 *   <li>outside the normal operating band each action costs more permits, the farther out the more
 *       (the book's U-shaped resistance curve); past {@link GovernorConfig#confirmBeyond()} a
 *       person must confirm, past {@link GovernorConfig#refuseBeyond()} the action is refused;
 *   <li>when an observer {@linkplain #observe(double, double) reports} a state that differs from
 *       the engine's expectation by more than {@link GovernorConfig#divergenceLimit()}, every
 *       action needs a confirmation: the engine's view of the world is wrong, and it must not act
 *       on it (the book's "Force Multiplier");
 *   <li>{@link #pause(String)} refuses everything until {@link #resume()}.
 * </ul>
 *
 * <p>A confirmation is a {@link ConfirmationToken} the governor issues (one pending per kind) and a
 * person confirms with {@link #confirm(ConfirmationToken, String)} or {@link #confirm(String,
 * String)}; the engine then asks {@link #decide(String, double, ConfirmationToken)}, which uses the
 * token once. Logs: an allowed action is counted and told to listeners, not logged (the engine logs
 * what it does; an action allowed on a confirmation is logged at WARN); delayed at INFO, refused at
 * WARN (throttled: the first, then at most one line a minute), confirmation requests,
 * confirmations, divergence and pauses at WARN.
 *
 * <p>Thread-safe and lock-free: the rate of a kind is one long updated by compare-and-set; an
 * allowed decision is the shared {@link Decision#ALLOW} and allocates nothing.
 */
public final class Governor {

  private static final Logger LOG = LoggerFactory.getLogger(Governor.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Listeners.Event1<GovernorListener, String> ALLOWED =
      (l, a, e, x, y) -> l.onAllowed(a);
  private static final Listeners.Event1<GovernorListener, Decision> DELAYED =
      (l, d, e, x, y) -> l.onDelayed(d);
  private static final Listeners.Event1<GovernorListener, Decision> REJECTED =
      (l, d, e, x, y) -> l.onRejected(d);
  private static final Listeners.Event1<GovernorListener, Decision> CONFIRMATION_REQUIRED =
      (l, d, e, x, y) -> l.onConfirmationRequired(d);
  private static final Listeners.Event1<GovernorListener, ConfirmationToken> CONFIRMED =
      (l, t, e, x, y) -> l.onConfirmed(t);
  private static final Listeners.Event1<GovernorListener, String> PAUSED =
      (l, r, e, x, y) -> l.onPaused(r);
  private static final Listeners.Event<GovernorListener> RESUMED = (l, e, x, y) -> l.onResumed();
  private static final Listeners.Event<GovernorListener> DIVERGED =
      (l, e, x, y) -> l.onDivergence(Double.longBitsToDouble(x));

  private final String name;
  private volatile Rules rules; // replaced whole by reconfigure: a decision reads it once
  private final Reconfigurer reconfigurer;
  private final Ticker ticker;
  private final ThrottledLog refusals;
  private final Listeners<GovernorListener> listeners;
  private final Map<String, ConfirmationToken> pending = new ConcurrentHashMap<>();
  private final AtomicReference<@Nullable String> pausedFor = new AtomicReference<>();
  private final AtomicBoolean divergent = new AtomicBoolean();
  private volatile double divergence;
  private final LongAdder allowed = new LongAdder();
  private final LongAdder delays = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder confirmationRequests = new LongAdder();
  private final LongAdder confirmations = new LongAdder();

  private Governor(String name, GovernorConfig config) {
    this.name = name;
    this.ticker = config.ticker();
    this.rules = new Rules(config, Map.of(), ticker.read());
    this.reconfigurer = new Reconfigurer("governor", name, LOG, "ticker");
    this.refusals = new ThrottledLog(LOG, name, ticker);
    this.listeners =
        new Listeners<>("governor '" + name + "'", new ThrottledLog(LOG, name, ticker));
  }

  /**
   * Creates a governor.
   *
   * @param name names the governor in logs and meters; not blank
   * @param config the settings
   * @return a new governor
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static Governor of(String name, GovernorConfig config) {
    notBlank("name", name);
    return new Governor(name, notNull("config", config));
  }

  /**
   * Creates a governor with {@link GovernorConfig#defaults()}: {@code scale-up} 20 per minute,
   * {@code scale-down} 2 per 10 minutes, no band.
   *
   * @param name names the governor; not blank
   * @return a new governor
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static Governor ofDefaults(String name) {
    return of(name, GovernorConfig.defaults());
  }

  /**
   * The governor's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The governor's settings.
   *
   * @return the config
   */
  public GovernorConfig config() {
    return rules.config;
  }

  /**
   * Applies a new config, keeping what the governor has spent, its pending confirmations, its pause
   * and its divergence. The name stays; {@link #config()} returns {@code config} afterwards
   * (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>An action kind whose rate changes keeps what it has spent (when its next action is free),
   *       measured against the new rate from the next decision; a new kind starts with its whole
   *       rate; a kind left out is no longer known (deciding it is refused as an unknown kind).
   *   <li>The band, the resistance, {@code confirmBeyond}, {@code refuseBeyond} and {@code
   *       divergenceLimit} apply from the next decision (the next observation, for the limit).
   *   <li>The ticker cannot change: a config with another one is refused with an {@link
   *       IllegalArgumentException} naming it and both values, and nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. A decision reads the rules once,
   * so it is made under the old config or the new one. Reconfigurations run one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes the ticker
   */
  public void reconfigure(GovernorConfig config) {
    reconfigurer.apply(this::config, config, c -> rules = new Rules(c, rules.rates, ticker.read()));
  }

  /** The config and what is derived from it, read together. Immutable. */
  private static final class Rules {
    final GovernorConfig config;
    final Band band;
    final Map<String, ActionRate> rates;

    /** Rates for {@code config}'s kinds, keeping what {@code old}'s rates of those kinds spent. */
    Rules(GovernorConfig config, Map<String, ActionRate> old, long now) {
      this.config = config;
      this.band = new Band(config);
      Map<String, ActionRate> r = new HashMap<>();
      config
          .actions()
          .forEach(
              (kind, rate) -> {
                ActionRate before = old.get(kind);
                r.put(kind, before == null ? new ActionRate(rate, now) : before.retuned(rate));
              });
      this.rates = Map.copyOf(r);
    }
  }

  /**
   * Asks whether an action whose effect on the state is not told may happen now: only its kind's
   * rate, the pause and the divergence apply.
   *
   * @param action a kind the config knows
   * @return the decision
   * @throws IllegalArgumentException when the config does not know {@code action}
   */
  public Decision decide(String action) {
    return decide(action, Double.NaN, false);
  }

  /**
   * Asks whether an action that would leave the state at {@code resultingState} may happen now.
   *
   * @param action a kind the config knows
   * @param resultingState the state after the action (a fleet's size, say); not NaN
   * @return the decision
   * @throws IllegalArgumentException when the config does not know {@code action}, or the state is
   *     NaN
   */
  public Decision decide(String action, double resultingState) {
    return decide(action, resultingState, true);
  }

  private Decision decide(String action, double state, boolean told) {
    Rules r = rules;
    GovernorConfig config = r.config;
    Band band = r.band;
    ActionRate rate = rate(r, action);
    if (told && Double.isNaN(state)) {
      throw new IllegalArgumentException("resultingState must be a number, was NaN");
    }
    long now = ticker.read();
    String paused = pausedFor.get();
    if (paused != null) {
      return refuse(action, Reason.PAUSED, "paused: " + paused);
    }
    double distance = told ? band.distance(state) : 0;
    if (distance > config.refuseBeyond()) {
      return refuse(action, Reason.BEYOND_LIMIT, band.describe(state, distance, "refuse"));
    }
    if (divergent.get()) {
      return confirm(
          action, Reason.DIVERGENCE, "observed state differs from expected by " + divergence);
    }
    if (distance > config.confirmBeyond()) {
      return confirm(action, Reason.FAR_FROM_BAND, band.describe(state, distance, "confirm"));
    }
    double cost = 1 + config.resistance() * distance;
    long until = rate.tryTake(now, cost);
    if (until == ActionRate.NOW) {
      return allow(action);
    }
    Reason why = distance > 0 ? Reason.RESISTANCE : Reason.RATE;
    Decision d =
        new Decision(
            Verdict.DELAY,
            why,
            action,
            until,
            "rate of " + action + " " + config.actions().get(action) + " spent (cost " + cost + ")",
            null);
    delays.increment();
    LOG.info("name={} action={} delayed {} ns: {}", name, action, until - now, d.detail());
    if (!listeners.isEmpty()) {
      listeners.emit(DELAYED, d, null, 0, 0);
    }
    return d;
  }

  /**
   * Asks again for an action a person confirmed: uses the token once and allows the action,
   * whatever its rate, resistance or divergence; only a pause or the hard limit still refuse it
   * (the token is then kept for later).
   *
   * @param action the kind the token names
   * @param resultingState the state after the action; not NaN
   * @param token a token this governor issued for {@code action}, confirmed and not used
   * @return the decision
   * @throws IllegalArgumentException when this governor did not issue the token (forged, or another
   *     governor's), it names another action, or the state is NaN
   * @throws IllegalStateException when the token is not confirmed yet, or was used already
   */
  public Decision decide(String action, double resultingState, ConfirmationToken token) {
    Rules r = rules;
    GovernorConfig config = r.config;
    Band band = r.band;
    ActionRate rate = rate(r, action);
    if (Double.isNaN(resultingState)) {
      throw new IllegalArgumentException("resultingState must be a number, was NaN");
    }
    checkIssued(token);
    if (!token.action().equals(action)) {
      throw new IllegalArgumentException(
          "token "
              + token.id()
              + " confirms action '"
              + token.action()
              + "', not '"
              + action
              + "'");
    }
    if (token.used()) {
      throw new IllegalStateException("token " + token.id() + " was already used");
    }
    if (token.confirmedBy() == null) {
      throw new IllegalStateException(
          "token " + token.id() + " is not confirmed yet: call confirm(token, who) first");
    }
    String paused = pausedFor.get();
    if (paused != null) {
      return refuse(action, Reason.PAUSED, "paused: " + paused);
    }
    double distance = band.distance(resultingState);
    if (distance > config.refuseBeyond()) {
      return refuse(action, Reason.BEYOND_LIMIT, band.describe(resultingState, distance, "refuse"));
    }
    String who = token.markUsed();
    if (who == null || who.isEmpty()) {
      throw new IllegalStateException("token " + token.id() + " was already used");
    }
    pending.remove(action, token);
    rate.force(ticker.read(), 1 + config.resistance() * distance);
    LOG.warn(
        "name={} action={} allowed on confirmation by {} (token {})",
        name,
        action,
        who,
        token.id());
    return allow(action);
  }

  private static ActionRate rate(Rules rules, String action) {
    ActionRate rate = rules.rates.get(notNull("action", action));
    if (rate == null) {
      throw new IllegalArgumentException(
          "action must be a kind the config knows, was '"
              + action
              + "'; known: "
              + new java.util.TreeSet<>(rules.rates.keySet()));
    }
    return rate;
  }

  private Decision allow(String action) {
    allowed.increment();
    if (!listeners.isEmpty()) {
      listeners.emit(ALLOWED, action, null, 0, 0);
    }
    return Decision.ALLOW;
  }

  private Decision refuse(String action, Reason reason, String detail) {
    Decision d = new Decision(Verdict.REFUSE, reason, action, 0, detail, null);
    rejections.increment();
    refusals.warn("action=" + action + " refused (" + reason + "): " + detail, null);
    if (!listeners.isEmpty()) {
      listeners.emit(REJECTED, d, null, 0, 0);
    }
    return d;
  }

  private Decision confirm(String action, Reason reason, String detail) {
    confirmationRequests.increment();
    while (true) {
      ConfirmationToken token = pending.get(action);
      if (token != null && !token.used()) {
        return new Decision(Verdict.CONFIRM, reason, action, 0, detail, token);
      }
      ConfirmationToken fresh = new ConfirmationToken(this, newId(), action, detail);
      boolean issued =
          token == null
              ? pending.putIfAbsent(action, fresh) == null
              : pending.replace(action, token, fresh);
      if (issued) {
        Decision d = new Decision(Verdict.CONFIRM, reason, action, 0, detail, fresh);
        LOG.warn(
            "name={} action={} needs a confirmation ({}): {}; confirm token {}",
            name,
            action,
            reason,
            detail,
            fresh.id());
        if (!listeners.isEmpty()) {
          listeners.emit(CONFIRMATION_REQUIRED, d, null, 0, 0);
        }
        return d;
      }
    }
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private void checkIssued(ConfirmationToken token) {
    if (notNull("token", token).issuer() != this) {
      throw new IllegalArgumentException(
          "token " + token.id() + " was not issued by governor '" + name + "'");
    }
  }

  /**
   * Confirms a token: the engine may then act once with it. Logged at WARN with who confirmed what.
   *
   * @param token a token this governor issued, not confirmed before
   * @param who who confirms, for the log; not blank
   * @throws IllegalArgumentException when this governor did not issue the token, or {@code who} is
   *     blank
   * @throws IllegalStateException when the token was confirmed or used already
   */
  public void confirm(ConfirmationToken token, String who) {
    checkIssued(token);
    notBlank("who", who);
    if (!token.markConfirmed(who)) {
      throw new IllegalStateException(
          "token "
              + token.id()
              + (token.used()
                  ? " was already used"
                  : " was already confirmed by " + token.confirmedBy()));
    }
    confirmations.increment();
    LOG.warn(
        "name={} action={} confirmed by {} (token {}): {}",
        name,
        token.action(),
        who,
        token.id(),
        token.why());
    if (!listeners.isEmpty()) {
      listeners.emit(CONFIRMED, token, null, 0, 0);
    }
  }

  /**
   * Confirms the pending token with this id, as an operator would from a console or a chat line.
   *
   * @param tokenId the token's {@link ConfirmationToken#id()}
   * @param who who confirms; not blank
   * @return the confirmed token, to hand to the engine
   * @throws IllegalArgumentException when no pending token has this id (forged, mistyped, or used
   *     already)
   * @throws IllegalStateException when the token was confirmed already
   */
  public ConfirmationToken confirm(String tokenId, String who) {
    notNull("tokenId", tokenId);
    for (ConfirmationToken t : pending.values()) {
      if (t.id().equals(tokenId) && !t.used()) {
        confirm(t, who);
        return t;
      }
    }
    throw new IllegalArgumentException(
        "tokenId must name a token pending on governor '" + name + "', was '" + tokenId + "'");
  }

  /**
   * Reports what an observer sees beside what the engine expects (instances the autoscaler thinks
   * it runs against the ones that answer, say). While they differ by more than {@link
   * GovernorConfig#divergenceLimit()}, every action needs a confirmation.
   *
   * @param expected the state the engine expects
   * @param observed the state the observer sees
   * @throws IllegalArgumentException when either is NaN or infinite
   */
  public void observe(double expected, double observed) {
    if (!Double.isFinite(expected) || !Double.isFinite(observed)) {
      throw new IllegalArgumentException(
          "expected and observed must be finite, were " + expected + " and " + observed);
    }
    double diff = Math.abs(expected - observed);
    double share = diff == 0 ? 0 : diff / Math.max(Math.abs(expected), Double.MIN_NORMAL);
    divergence = share;
    double limit = rules.config.divergenceLimit();
    boolean over = share > limit;
    if (divergent.compareAndSet(!over, over)) {
      if (over) {
        LOG.warn(
            "name={} observed {} where {} was expected (share {} > limit {}): every action needs a"
                + " confirmation",
            name,
            observed,
            expected,
            share,
            limit);
        if (!listeners.isEmpty()) {
          listeners.emit(DIVERGED, null, Double.doubleToRawLongBits(share), 0);
        }
      } else {
        LOG.warn("name={} observations agree again (share {})", name, share);
      }
    }
  }

  /**
   * Pauses the governor: every action is refused with {@link Reason#PAUSED} until {@link
   * #resume()}. Pausing again replaces the reason.
   *
   * @param reason why, for logs and refusals; not blank
   */
  public void pause(String reason) {
    pausedFor.set(notBlank("reason", reason));
    LOG.warn("name={} paused: {}", name, reason);
    if (!listeners.isEmpty()) {
      listeners.emit(PAUSED, reason, null, 0, 0);
    }
  }

  /** Resumes a paused governor; does nothing when it is not paused. */
  public void resume() {
    if (pausedFor.getAndSet(null) != null) {
      LOG.warn("name={} resumed", name);
      if (!listeners.isEmpty()) {
        listeners.emit(RESUMED, null, 0, 0);
      }
    }
  }

  /**
   * A snapshot of the counts and the present state.
   *
   * @return the stats
   */
  public GovernorStats stats() {
    return new GovernorStats(
        allowed.sum(),
        delays.sum(),
        rejections.sum(),
        confirmationRequests.sum(),
        confirmations.sum(),
        pausedFor.get() != null,
        divergence);
  }

  /**
   * Adds a listener.
   *
   * @param listener the listener
   * @return a subscription whose {@code close()} removes it
   * @throws IllegalStateException when 64 listeners are registered already
   */
  public Subscription addListener(GovernorListener listener) {
    return listeners.add(listener);
  }

  @Override
  public String toString() {
    return "Governor{" + name + "}";
  }
}
