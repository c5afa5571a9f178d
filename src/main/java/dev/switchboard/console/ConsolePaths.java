package dev.switchboard.console;

/** Where the console's pages are. The authorization server's chain signs them in under the same prefix. */
final class ConsolePaths {

    static final String ROOT = "/admin";
    static final String TOKENS = ROOT + "/tokens";
    static final String UPSTREAMS = ROOT + "/upstreams";
    static final String CATALOG = ROOT + "/catalog";
    static final String SERVERS = ROOT + "/servers";
    static final String AUDIT = ROOT + "/audit";
    static final String USERS = ROOT + "/users";
    static final String TEAMS = ROOT + "/teams";
    static final String TRANSFER = ROOT + "/transfer";
    /** The page of /docs, whose relative links find its files below it and the description beside it. */
    static final String API_REFERENCE = ROOT + "/docs";
    static final String ASSETS = ROOT + "/assets/";

    private ConsolePaths() {
    }
}
