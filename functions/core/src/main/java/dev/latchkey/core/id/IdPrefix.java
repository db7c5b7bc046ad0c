package dev.latchkey.core.id;

/** The prefix of each kind of id, so an id says what it names (and a wrong kind fails fast). */
public enum IdPrefix {
    USER("usr"),
    ORGANIZATION("org"),
    API_KEY("key"),
    SESSION("ses"),
    PASSKEY("pk"),
    CHALLENGE("chl"),
    CLIENT("cli"),
    CLIENT_SECRET("cs"),
    CLIENT_KEY("ck"),
    APPLICATION("app"),
    TEAM("team"),
    RESOURCE("res"),
    INVITATION("inv"),
    EVENT("evt"),
    REQUEST("req");

    private final String text;

    IdPrefix(String text) {
        this.text = text;
    }

    /** The prefix text, without the underscore. */
    public String text() {
        return text;
    }
}
