package dev.latchkey.core.passkey;

import java.util.Optional;

/**
 * Port: single-use WebAuthn challenges. Adapter: {@code DynamoDbPasskeyChallenges} ({@code CHALLENGE#<id>} /
 * {@code CHALLENGE} with the TTL, beside the email-verification and password-reset challenges).
 */
public interface PasskeyChallenges {

    /**
     * Stores a new challenge.
     *
     * @throws IllegalStateException when one with this id exists (128 random bits collided: a bug; nothing is
     *     overwritten)
     */
    void save(PasskeyChallenge challenge);

    /**
     * Deletes and returns the challenge in one conditional write, only when it exists, was issued for
     * {@code ceremony} and, when {@code userId} is given, to that user: under parallel use exactly one caller
     * gets it. An expired challenge is still returned (and so spent): expiry is the caller's check.
     *
     * @param challengeId {@code chl_…}
     * @param ceremony the ceremony spending it
     * @param userId the user who must own it, or empty for a login
     * @return the challenge, or empty when unknown, spent, of another ceremony or of another user
     */
    Optional<PasskeyChallenge> consume(String challengeId, Ceremony ceremony, Optional<String> userId);
}
