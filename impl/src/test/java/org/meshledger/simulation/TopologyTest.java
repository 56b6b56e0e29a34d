package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Seeds.class)
class TopologyTest {

  @Test
  void randomRegularGivesEveryNodeKNeighboursHalfOfThemDialled() {
    long seed = Seeds.seed(71);
    Graph g = Topology.randomRegular(2000, 8).generate(new SplittableRandom(seed));
    assertThat(g.size()).isEqualTo(2000);
    assertThat(g.edgeCount()).isEqualTo(8000);
    for (int v = 0; v < g.size(); v++) {
      assertThat(g.degree(v)).isEqualTo(8);
      int out = 0;
      for (int i = 0; i < 8; i++) {
        out += g.isOutbound(v, i) ? 1 : 0;
      }
      assertThat(out).as("outbound connections of %d", v).isEqualTo(4);
    }
    assertThat(g.isConnected()).isTrue();
    // log_7(2000) is about 4: a random 8-regular graph of 2,000 nodes has a small diameter.
    assertThat(Arrays.stream(g.hopsFrom(0)).max().getAsInt()).isBetween(4, 7);
  }

  @Test
  void oddDegreeRegularGraphsWork() {
    Graph g = Topology.randomRegular(100, 3).generate(new SplittableRandom(Seeds.seed(72)));
    for (int v = 0; v < 100; v++) {
      assertThat(g.degree(v)).isEqualTo(3);
    }
  }

  @Test
  void erdosRenyiHasAboutPTimesThePairs() {
    int n = 2000;
    double p = 0.004;
    Graph g = Topology.erdosRenyi(n, p).generate(new SplittableRandom(Seeds.seed(73)));
    double pairs = n * (n - 1) / 2.0;
    double sd = Math.sqrt(pairs * p * (1 - p));
    assertThat((double) g.edgeCount()).isBetween(pairs * p - 5 * sd, pairs * p + 5 * sd);
    assertThat(Topology.erdosRenyi(10, 0).generate(new SplittableRandom(1)).edgeCount()).isZero();
    assertThat(Topology.erdosRenyi(10, 1).generate(new SplittableRandom(1)).edgeCount()).isEqualTo(45);
  }

  @Test
  void barabasiAlbertGrowsHubs() {
    int n = 5000;
    int m = 3;
    Graph g = Topology.barabasiAlbert(n, m).generate(new SplittableRandom(Seeds.seed(74)));
    assertThat(g.edgeCount()).isEqualTo(m * (m + 1) / 2 + (n - m - 1) * m);
    int max = 0;
    for (int v = 0; v < n; v++) {
      assertThat(g.degree(v)).isGreaterThanOrEqualTo(m);
      max = Math.max(max, g.degree(v));
    }
    // Preferential attachment: the largest hub grows like sqrt(n) times m; a random graph's would stay near 2m.
    assertThat(max).isGreaterThan(60);
    assertThat(g.isConnected()).isTrue();
  }

  @Test
  void explicitEdgesKeepTheirDirection() {
    Graph g = Topology.edges(3, new int[][] {{0, 1}, {2, 1}}).generate(new SplittableRandom(1));
    assertThat(g.neighbors(1)).containsExactly(0, 2);
    assertThat(g.isOutbound(1, 0)).isFalse();
    assertThat(g.isOutbound(0, 0)).isTrue();
    assertThat(g.largestComponent().cardinality()).isEqualTo(3);
  }

  @Test
  void theSameSeedDrawsTheSameGraph() {
    Topology t = Topology.randomRegular(500, 8);
    Graph a = t.generate(new SplittableRandom(Seeds.seed(75)));
    Graph b = t.generate(new SplittableRandom(Seeds.seed(75)));
    for (int v = 0; v < 500; v++) {
      assertThat(a.neighbors(v)).containsExactly(b.neighbors(v));
    }
  }
}
