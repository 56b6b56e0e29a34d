package org.meshledger.impl.spreading;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.meshledger.spi.SpreadingProtocol;
import org.meshledger.spi.contract.SpreadingProtocolContract;

/** The bundled protocols pass the SPI's contract kit, with their defaults and with their other modes. */
class ProtocolContractTest {

  @Nested
  class FloodingPush extends SpreadingProtocolContract {
    @Override
    protected SpreadingProtocol newProtocol() {
      return new FloodingProvider().create(Map.of());
    }
  }

  @Nested
  class FloodingDelayedAnnounce extends SpreadingProtocolContract {
    @Override
    protected SpreadingProtocol newProtocol() {
      return new FloodingProvider().create(Map.of("delay", "100ms", "relay", "announce"));
    }
  }

  @Nested
  class DiffusionDefault extends SpreadingProtocolContract {
    @Override
    protected SpreadingProtocol newProtocol() {
      return new DiffusionProvider().create(Map.of());
    }
  }

  @Nested
  class DiffusionTrickle extends SpreadingProtocolContract {
    @Override
    protected SpreadingProtocol newProtocol() {
      return new DiffusionProvider().create(Map.of("trickle", "true"));
    }
  }

  @Nested
  class DandelionPlusPlusDefault extends SpreadingProtocolContract {
    @Override
    protected SpreadingProtocol newProtocol() {
      return new DandelionPlusPlusProvider().create(Map.of());
    }
  }
}
