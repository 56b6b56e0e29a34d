package org.meshledger.impl.net;

import io.vertx.core.Future;
import java.util.List;
import org.meshledger.impl.net.Messages.KnownPeer;
import org.meshledger.spi.Peer.Direction;

/**
 * Peer management of a {@link Network}: keeps the outbound connections at the target by dialing addresses
 * from the {@link PeerBook} (which spaces out retries), asks peers for more addresses while short of the
 * target and every peer-exchange interval otherwise, checks the addresses it learns, and answers PEERS
 * with peers it is connected to, and keeps the peers reached lately in the data directory ({@link PeerFile}).
 * On the network's context only.
 */
final class Overlay {
  private final Network net;
  private long lastExchangeAt;
  private long lastSaveAt;

  Overlay(Network net) {
    this.net = net;
  }

  void tick(long now) {
    NetworkConfig config = net.config();
    int outbound = net.count(Direction.OUTBOUND) + net.countHandshaking(Direction.OUTBOUND) + net.endpoint().dialsInFlight();
    int need = config.getTargetOutbound() - outbound;
    long exchangeEvery = config.getPeerExchangeInterval().toMillis();
    if (need > 0) {
      for (PeerBook.Entry e : net.book().candidates(need, now, this::skipDial)) {
        net.book().dialing(e.address);
        net.endpoint().dial(e.address);
      }
      exchangeEvery = Math.max(net.tickMillis(), exchangeEvery / 10);
    }
    if (now - lastSaveAt >= Math.max(1000, 4 * config.getPeerExchangeInterval().toMillis())) {
      lastSaveAt = now;
      savePeers();
    }
    if (now - lastExchangeAt >= exchangeEvery) {
      lastExchangeAt = now;
      List<PeerConnection> peers = net.peers();
      if (!peers.isEmpty()) {
        peers.get(net.random().nextInt(peers.size())).askForPeers();
      }
    }
  }

  private boolean skipDial(PeerBook.Entry e) {
    if (e.address.equals(net.advertised())) {
      return true;
    }
    if (e.id != null && (net.isConnectedTo(e.id) || net.bans().isBanned(Bans.node(e.id), net.nowMillis()))) {
      return true;
    }
    for (PeerConnection c : net.connections()) {
      if (e.address.equals(c.dialed()) || (e.id != null && e.id.equals(c.id()))) {
        return true;
      }
    }
    return false;
  }

  /** Writes the peers worth remembering to the data directory, off the event loop. */
  Future<Void> savePeers() {
    if (net.config().getDataDir() == null) {
      return Future.succeededFuture();
    }
    List<KnownPeer> good = net.book().sample(PeerFile.MAX_PEERS, e -> true);
    if (good.isEmpty()) {
      return Future.succeededFuture();
    }
    return net.vertx().executeBlocking(() -> {
      PeerFile.save(net.config().getDataDir(), good);
      return null;
    });
  }

  /** Adds what a peer told us, minus ourselves, wildcards and (permissioned) non-members. */
  void learned(List<KnownPeer> peers) {
    NetworkConfig config = net.config();
    for (KnownPeer p : peers) {
      if (p.id().equals(net.self()) || p.address().isWildcard()
          || (config.permissioned() && config.getGenesis().member(p.id()).isEmpty())) {
        continue;
      }
      net.book().learned(p.id(), p.address());
    }
  }

  /** Up to {@link Messages#MAX_PEERS} peers we are connected to, other than the asker. */
  List<KnownPeer> peersFor(PeerConnection asker) {
    return net.book().sample(Messages.MAX_PEERS, e -> !e.id.equals(asker.id()) && net.isConnectedTo(e.id));
  }
}
