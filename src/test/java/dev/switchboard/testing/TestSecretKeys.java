package dev.switchboard.testing;

/**
 * Keys for stored secrets (SWITCHBOARD_SECRET_KEY values) for tests. They are public in this repository, so they
 * protect nothing: never use them outside tests.
 */
public final class TestSecretKeys {

    /** The key a test gateway runs with. */
    public static final String KEY = "3blXbu0t+Rc36EOHnrNuzv+Yngjt1TzxLqWAVCfo4w8=";
    /** Another key: the one a rotation moves to, or a wrong key. */
    public static final String OTHER = "PYN4JKlO/z9Zh8eUhVSvFtrj1cFL8fTeeJuLTps8FnU=";
    /** A third key, which neither side of a rotation knows. */
    public static final String STRANGER = "9NE+UD/jRNJ12QDqB9UuhytQgwOJvEulLYacyUR79DI=";

    private TestSecretKeys() {
    }
}
