package dev.switchboard.benchmark;

import java.time.Instant;

/**
 * One claim a worker made: the job and the slot it was due at, which together name one run; two records of the
 * same run are a double claim. {@code measured} says whether the claim fell in the measured window (not warm-up).
 */
record ClaimRecord(String name, Instant dueAt, boolean measured) {

    /** The run this claim took: the same job in the same slot is the same run, whoever claimed it. */
    String run() {
        return name + '@' + dueAt;
    }

    /** One line of a worker's claims file. */
    String line() {
        return name + '\t' + dueAt + '\t' + (measured ? 'm' : 'w');
    }

    static ClaimRecord parse(String line) {
        String[] parts = line.split("\t");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a claim record: " + line);
        }
        return new ClaimRecord(parts[0], Instant.parse(parts[1]), parts[2].equals("m"));
    }
}
