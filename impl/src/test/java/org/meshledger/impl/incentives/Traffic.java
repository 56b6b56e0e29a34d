package org.meshledger.impl.incentives;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.meshledger.IncentivePolicy.ServiceRules;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Role;
import org.meshledger.impl.incentives.ServiceModel.Expect;

/**
 * Random blocks of real signed transactions, each with the result it must get. Users write DATA (plain,
 * conditional, stale, under the reserved prefix, refused by the host) and transfer (to anyone, the tier pools
 * included, but not the escrow, which would keep the amount for good; some overdraw) with random fees; service nodes register, exit, re-register and answer their
 * challenges (right, wrong, late, replayed, from unregistered keys), each online, flaky or offline for a whole epoch;
 * some transactions are invalid (nonce gap or reuse, a fee the balance cannot pay, another chain, a forged
 * signature, an old transaction again).
 *
 * <p>Predictions are exact: balances and nonces start from the committed state of one node and follow each
 * transaction of the block in order; the service-node rules come from a {@link ServiceModel}.
 */
final class Traffic {
  /** A transaction and the result it must get. */
  record Planned(Transaction tx, Expect expect, String what) {}

  /** The host's rule: a DATA value that starts with this byte is refused. */
  private static final byte REFUSED = 0x7F;
  static final TransactionValidator VALIDATOR = (tx, state) -> tx.payload() instanceof Payload.DataWrite w && w.value().length > 0
      && w.value()[0] == REFUSED ? Verification.failed("values starting with 0x7f are refused") : Verification.ok();

  private final Random r;
  private final String chainId;
  private final Hash genesisHash;
  private final StoreNode reader;
  private final ServiceModel model;
  private final ServiceRules rules;
  private final List<KeyPair> spenders;
  private final List<KeyPair> service;
  private final List<KeyPair> observers;
  private final KeyPair poor;
  private final List<AccountId> targets;
  private final List<Hash> materials = new ArrayList<>();
  private final Map<AccountId, Integer> online = new HashMap<>();
  private final List<Transaction> included = new ArrayList<>();
  /** Per account touched by the block planned: balance and nonce as its transactions leave them, and the balance before. */
  private final Map<AccountId, long[]> shadow = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private long height;

  /**
   * @param reader the node whose committed state the predictions start from
   * @param spenders every key that sends ordinary transactions
   * @param service the keys that act as service nodes (of the genesis or candidates)
   * @param observers keys that answer challenges without being registered
   * @param poor a key with next to nothing
   * @param targets accounts transfers go to, besides fresh ones
   */
  Traffic(Random r, String chainId, Hash genesisHash, StoreNode reader, ServiceModel model, ServiceRules rules, List<KeyPair> spenders,
      List<KeyPair> service, List<KeyPair> observers, KeyPair poor, List<AccountId> targets) {
    this.r = r;
    this.chainId = chainId;
    this.genesisHash = genesisHash;
    this.reader = reader;
    this.model = model;
    this.rules = rules;
    this.spenders = List.copyOf(spenders);
    this.service = List.copyOf(service);
    this.observers = List.copyOf(observers);
    this.poor = poor;
    this.targets = List.copyOf(targets);
  }

  /** The transactions of block {@code h}, whose previous block's hash is {@code previousHash}. */
  List<Planned> plan(long h, Hash previousHash) {
    height = h;
    shadow.clear();
    versions.clear();
    model.begin(h, previousHash);
    if ((h - 1) % rules.epochLength() == 0) {
      service.forEach(k -> online.put(k.accountId(), r.nextInt(4))); // 0 offline, 1 flaky, 2 and 3 diligent
    }
    List<Supplier<Planned>> intents = new ArrayList<>();
    for (int i = r.nextInt(9); i > 0; i--) {
      intents.add(r.nextInt(3) == 0 ? this::write : this::transfer);
    }
    service.forEach(k -> intents.addAll(serviceActions(k)));
    observers.stream().filter(o -> r.nextInt(5) == 0).forEach(o -> intents.add(() -> answer(o, model.openAt(height), "observer's answer")));
    if (r.nextInt(3) == 0) {
      intents.add(this::invalid);
    }
    if (r.nextInt(8) == 0) {
      intents.add(r.nextBoolean() ? () -> register(poor, Role.SECURE_NODE) : () -> send(poor, Payload.DataWrite.of("poor", new byte[1]), "poor write",
          s -> Expect.ACCEPTED));
    }
    Collections.shuffle(intents, r);
    List<Planned> block = new ArrayList<>();
    for (Supplier<Planned> intent : intents) {
      Planned p = intent.get();
      if (p != null) {
        block.add(p);
      }
    }
    return block;
  }

  /**
   * How the planned block's transactions, if they get the results predicted, change each balance: fees, transfers
   * and locked bonds (not what the block's payout credits).
   */
  Map<AccountId, Long> balanceChanges() {
    Map<AccountId, Long> changes = new HashMap<>();
    shadow.forEach((a, s) -> changes.put(a, s[0] - s[2]));
    return changes;
  }

  /** Remembers block {@code b} (its material for later challenges) and which of its transactions were valid. */
  void executed(Block b, List<Planned> planned) {
    materials.add(Challenges.material(b));
    planned.stream().filter(p -> p.expect().valid()).forEach(p -> included.add(p.tx()));
  }

  private List<Supplier<Planned>> serviceActions(KeyPair k) {
    AccountId a = k.accountId();
    ServiceNode n = model.node(a);
    Challenges.Window w = model.openAt(height);
    List<Supplier<Planned>> acts = new ArrayList<>();
    int x = r.nextInt(100);
    if (n == null) {
      if (x < 8) {
        acts.add(() -> register(k, r.nextBoolean() ? Role.SECURE_NODE : Role.SUPER_NODE));
      } else if (x < 10) {
        acts.add(() -> answer(k, w, "answer while not registered"));
      }
      return acts;
    }
    if (n.leaving()) {
      if (x < 5) {
        acts.add(() -> register(k, n.tier()));
      } else if (x < 8) {
        acts.add(() -> answer(k, w, "answer while leaving"));
      } else if (x < 10) {
        acts.add(() -> exit(k));
      }
      return acts;
    }
    int level = online.getOrDefault(a, 2);
    long left = rules.challengeInterval() - (height - 1) % rules.challengeInterval();
    boolean answers = w != null && n.lastAnswered() != w.index(rules) && r.nextInt((int) left) == 0;
    if (answers && (level == 1 ? r.nextInt(10) < 7 : level >= 2 && r.nextInt(60) != 0)) {
      acts.add(() -> answer(k, w, "answer"));
      if (r.nextInt(15) == 0) {
        acts.add(() -> answer(k, w, "the same answer again"));
      }
    }
    Challenges.Window previous = model.previous();
    if (x < 1) {
      acts.add(() -> exit(k));
    } else if (x < 4 && w != null) {
      acts.add(() -> sendAnswer(k, new Payload.ChallengeResponse(w.epoch(), w.challenge(), random(32)), false, "random proof"));
    } else if (x < 6 && w != null) {
      AccountId other = service.get(r.nextInt(service.size())).accountId();
      acts.add(() -> sendAnswer(k, new Payload.ChallengeResponse(w.epoch(), w.challenge(), Challenges.proof(chainId, w, other, material(w.target()))),
          other.equals(a), "another node's proof"));
    } else if (x < 8) {
      acts.add(() -> sendAnswer(k, new Payload.ChallengeResponse(rules.epochOf(height), new Hash(random(32)), random(32)), false, "wrong challenge"));
    } else if (x < 10 && previous != null) {
      acts.add(() -> sendAnswer(k, new Payload.ChallengeResponse(previous.epoch(), previous.challenge(),
          Challenges.proof(chainId, previous, a, material(previous.target()))), false, "late answer"));
    } else if (x < 11) {
      acts.add(() -> register(k, r.nextBoolean() ? Role.SECURE_NODE : Role.SUPER_NODE));
    } else if (x < 14 && w != null && n.lastAnswered() == w.index(rules)) {
      acts.add(() -> answer(k, w, "an answer replayed in a later block"));
    }
    return acts;
  }

  /** {@code k}'s right answer to {@code w}; if no window is open, an answer to a made-up one. */
  private Planned answer(KeyPair k, Challenges.Window w, String what) {
    if (w == null) {
      return sendAnswer(k, new Payload.ChallengeResponse(rules.epochOf(height), new Hash(random(32)), random(32)), false, what + " (no window open)");
    }
    Payload.ChallengeResponse p = new Payload.ChallengeResponse(w.epoch(), w.challenge(), Challenges.proof(chainId, w, k.accountId(), material(w.target())));
    return sendAnswer(k, p, true, what);
  }

  /** Sends an answer with the small fee a service node pays for its duty. */
  private Planned sendAnswer(KeyPair k, Payload.ChallengeResponse p, boolean rightProof, String what) {
    return send(k, r.nextInt(3), what, s -> new Action(p, model.answer(k.accountId(), p, rightProof, height)));
  }

  private Planned register(KeyPair k, Role tier) {
    return send(k, new Payload.ServiceRegistration(tier), "registration as " + tier.jsonName(), s -> {
      Expect e = model.register(k.accountId(), tier, s[0], height);
      if (e.accepted()) {
        s[0] -= rules.bond(tier).units();
      }
      return e;
    });
  }

  private Planned exit(KeyPair k) {
    return send(k, Payload.ServiceExit.INSTANCE, "exit", s -> model.exit(k.accountId(), height));
  }

  private Planned write() {
    KeyPair k = spenders.get(r.nextInt(spenders.size()));
    String key = "k-" + r.nextInt(6);
    byte[] value = random(1 + r.nextInt(20));
    if (value[0] == REFUSED) {
      value[0] = 0;
    }
    int kind = r.nextInt(10);
    if (kind < 5) {
      boolean refused = r.nextInt(8) == 0;
      value[0] = refused ? REFUSED : value[0];
      return send(k, Payload.DataWrite.of(key, value), "write", s -> refused ? Expect.rejected("rejected by the host validator") : written(key));
    }
    if (kind < 7) {
      return send(k, Payload.DataWrite.ifVersion(key, value, version(key)), "conditional write", s -> written(key));
    }
    if (kind < 9) {
      return send(k, Payload.DataWrite.ifVersion(key, value, version(key) + 1 + r.nextInt(3)), "stale write", s -> Expect.rejected("stale write"));
    }
    return send(k, Payload.DataWrite.of("meshledger/" + key, value), "write under the reserved prefix", s -> Expect.rejected("reserves"));
  }

  private Expect written(String key) {
    versions.put(key, version(key) + 1);
    return Expect.ACCEPTED;
  }

  private long version(String key) {
    return versions.computeIfAbsent(key, x -> reader.state.current(x).map(DataEntry::version).orElse(0L));
  }

  private Planned transfer() {
    KeyPair k = spenders.get(r.nextInt(spenders.size()));
    AccountId to = r.nextInt(8) == 0 ? new AccountId(random(32)) : targets.get(r.nextInt(targets.size()));
    boolean overdraft = r.nextInt(6) == 0;
    return send(k, "transfer", s -> {
      long amount = overdraft ? s[0] + 1 + r.nextInt(100) : 1 + (long) (r.nextDouble() * Math.min(s[0], 5_000));
      Payload.Transfer t = new Payload.Transfer(to, Amount.of(amount));
      if (amount > s[0]) {
        return new Action(t, Expect.rejected("overdraft"));
      }
      s[0] -= amount;
      shadow(to)[0] += amount;
      return new Action(t, Expect.ACCEPTED);
    });
  }

  private Planned invalid() {
    KeyPair k = spenders.get(r.nextInt(spenders.size()));
    long[] s = shadow(k.accountId());
    Payload p = Payload.DataWrite.of("invalid", random(4));
    Amount fee = Amount.of(r.nextInt(10));
    return switch (r.nextInt(6)) {
      case 0 -> new Planned(Transaction.sign(chainId, k, s[1] + 1 + r.nextInt(3), fee, p), Expect.invalid("leaves a gap"), "nonce gap");
      case 1 -> s[1] == 0 ? null : new Planned(Transaction.sign(chainId, k, (long) (r.nextDouble() * s[1]), fee, p), Expect.invalid("already used"),
          "nonce reused");
      case 2 -> new Planned(Transaction.sign(chainId, k, s[1], Amount.of(s[0] + 1 + r.nextInt(1000)), p), Expect.invalid("cannot pay the fee"),
          "fee above the balance");
      case 3 -> new Planned(Transaction.sign("other-" + chainId, k, s[1], fee, p), Expect.invalid("is not this chain's"), "another chain's");
      case 4 -> {
        KeyPair forger = spenders.get(r.nextInt(spenders.size()));
        Transaction signed = Transaction.sign(chainId, forger.equals(k) ? poor : forger, s[1], fee, p);
        yield new Planned(Transaction.of(chainId, k.accountId(), s[1], fee, p, signed.signature()), Expect.invalid("does not verify"), "forged signature");
      }
      default -> included.isEmpty() ? null
          : new Planned(included.get(r.nextInt(included.size())), Expect.invalid("already used"), "an earlier transaction again");
    };
  }

  /** A payload and the result it must get. */
  private record Action(Payload payload, Expect expect) {}

  /** Sends {@code payload} from {@code k}; {@code effect} predicts its result from the sender's balance and nonce after the fee. */
  private Planned send(KeyPair k, Payload payload, String what, Function<long[], Expect> effect) {
    return send(k, what, s -> new Action(payload, effect.apply(s)));
  }

  /**
   * Signs what {@code act} makes from {@code k} with a random fee and the next nonce, if its balance pays the fee; null
   * if not. {@code act} sees the sender's balance and nonce after the fee and moves them on as the payload would.
   */
  private Planned send(KeyPair k, String what, Function<long[], Action> act) {
    return send(k, r.nextInt(10) == 0 ? r.nextInt(5_000) : r.nextInt(30), what, act);
  }

  private Planned send(KeyPair k, long fee, String what, Function<long[], Action> act) {
    long[] s = shadow(k.accountId());
    if (s[0] < fee) {
      return null;
    }
    long nonce = s[1];
    s[0] -= fee;
    s[1]++;
    Action a = act.apply(s);
    return new Planned(Transaction.sign(chainId, k, nonce, Amount.of(fee), a.payload()), a.expect(), what);
  }

  private long[] shadow(AccountId a) {
    return shadow.computeIfAbsent(a, x -> {
      long balance = reader.balance(x);
      return new long[] {balance, reader.nonce(x), balance};
    });
  }

  private Hash material(long target) {
    return target == 0 ? genesisHash : materials.get((int) target - 1);
  }

  private byte[] random(int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  static KeyPair key(long seed, String name) {
    return KeyPair.fromSeed(Hash.sha256(("invariants " + seed + "/" + name).getBytes(StandardCharsets.UTF_8)).bytes());
  }
}
