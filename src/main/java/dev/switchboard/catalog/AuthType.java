package dev.switchboard.catalog;

/** How Switchboard authenticates to an upstream or a REST endpoint; the secret itself is stored encrypted. */
public enum AuthType {
    NONE, BASIC, BEARER, HEADER
}
