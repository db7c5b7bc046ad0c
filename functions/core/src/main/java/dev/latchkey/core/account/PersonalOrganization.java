package dev.latchkey.core.account;

import java.time.Instant;
import java.util.Objects;

/**
 * The organization every account gets at sign-up ({@code ORG#<id>} / {@code ORG}); its creator is
 * its {@value #OWNER_ROLE} ({@code ORG#<id>} / {@code MEMBER#<userId>}).
 *
 * @param id {@code org_…}
 * @param name e.g. {@code Ada Lovelace's organization}
 * @param createdAt when it was created
 * @param createdBy the {@code usr_…} who registered
 */
public record PersonalOrganization(String id, String name, Instant createdAt, String createdBy) {

    /** The role of the registering user in their personal organization. */
    public static final String OWNER_ROLE = "owner";

    /** Validates the fields. */
    public PersonalOrganization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        if (!id.startsWith("org_")) {
            throw new IllegalArgumentException("organization id must start with org_");
        }
    }

    /** The default name of a person's organization. */
    public static String defaultName(String userName) {
        return userName + "'s organization";
    }
}
