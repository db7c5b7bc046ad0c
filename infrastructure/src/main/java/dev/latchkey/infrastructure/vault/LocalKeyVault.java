package dev.latchkey.infrastructure.vault;

import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.core.vault.SealedSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded key vault: AES-256-GCM under a 256-bit master key, with the encryption context as
 * associated data. The master key comes from {@code LATCHKEY_MASTER_KEY} or from a key file
 * (created on first run with owner-only permissions; a key file others can read is refused, as
 * ssh refuses such a private key).
 *
 * <p>Sealed format: {@code 0x01 ‖ nonce(12) ‖ ciphertext ‖ tag(16)}.
 */
public final class LocalKeyVault implements KeyVault {

    static final byte FORMAT = 0x01;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] masterKey;
    private final SecureRandom random;

    private LocalKeyVault(byte[] masterKey, SecureRandom random) {
        if (masterKey.length != AesGcm.KEY_BYTES) {
            throw new IllegalArgumentException("master key must be 32 bytes");
        }
        this.masterKey = masterKey.clone();
        this.random = random;
    }

    /** A vault over a given base64 master key (from {@code LATCHKEY_MASTER_KEY}). */
    public static LocalKeyVault fromBase64(String masterKeyBase64, SecureRandom random) {
        return new LocalKeyVault(Base64.getDecoder().decode(masterKeyBase64), random);
    }

    /**
     * A vault over the key in {@code keyFile}, creating the file with a new random key (mode 0600)
     * when it does not exist.
     *
     * @throws IllegalStateException when the file is unreadable, malformed or readable by others
     */
    public static LocalKeyVault fromKeyFile(Path keyFile, SecureRandom random) {
        try {
            Path parent = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            if (!Files.exists(keyFile)) {
                byte[] key = new byte[AesGcm.KEY_BYTES];
                random.nextBytes(key);
                try {
                    writeOwnerOnly(keyFile, (Base64.getEncoder().encodeToString(key) + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    return new LocalKeyVault(key, random);
                } catch (FileAlreadyExistsException raced) {
                    // Another process created it first: use theirs.
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            if (supportsPosix(keyFile)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
                if (!OWNER_ONLY.containsAll(permissions)) {
                    throw new IllegalStateException("master key file " + keyFile
                            + " is accessible by other users; run: chmod 600 " + keyFile);
                }
            }
            String text = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
            byte[] key;
            try {
                key = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("master key file " + keyFile + " is not base64", e);
            }
            if (key.length != AesGcm.KEY_BYTES) {
                throw new IllegalStateException("master key file " + keyFile + " must hold 32 bytes of key");
            }
            return new LocalKeyVault(key, random);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create master key file " + keyFile, e);
        }
    }

    @Override
    public SealedSecret seal(byte[] plaintext, EncryptionContext context) {
        try {
            byte[] body = AesGcm.encrypt(masterKey, plaintext, context.associatedData(), random);
            byte[] out = new byte[1 + body.length];
            out[0] = FORMAT;
            System.arraycopy(body, 0, out, 1, body.length);
            return SealedSecret.of(out);
        } catch (GeneralSecurityException e) {
            throw KeyVaultException.unavailable(e);
        }
    }

    @Override
    public byte[] open(SealedSecret sealed, EncryptionContext context) {
        byte[] bytes = sealed.bytes();
        if (bytes[0] != FORMAT) {
            throw KeyVaultException.cannotOpen(null);
        }
        try {
            return AesGcm.decrypt(masterKey, bytes, 1, context.associatedData());
        } catch (GeneralSecurityException e) {
            throw KeyVaultException.cannotOpen(e);
        }
    }

    /** Seals and opens a probe in memory: proves the key and the JCE provider work. */
    @Override
    public void check() {
        byte[] probe = {1, 2, 3, 4};
        EncryptionContext context = new EncryptionContext("health", "probe");
        if (!Arrays.equals(open(seal(probe, context), context), probe)) {
            throw KeyVaultException.unavailable(null);
        }
    }

    private static boolean supportsPosix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        if (supportsPosix(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.SYNC);
    }
}
