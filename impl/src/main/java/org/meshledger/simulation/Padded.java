package org.meshledger.simulation;

/**
 * 128 bytes that no one writes, in front of the fields of the objects a lane writes at every event (its clock and
 * counters, its queue): with several lanes, two such objects of different lanes may lie next to each other in
 * memory, and two cores writing one cache line take turns holding it, a miss at each turn (ADR 023). The
 * fields of a superclass come before those of its subclasses.
 */
abstract class Padded {
  long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
