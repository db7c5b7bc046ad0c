package dev.latchkey.infrastructure.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the repository's {@code events/} folder and its API Gateway event files. */
public final class Events {

    private Events() {
    }

    /** The repository root: the nearest folder up from here holding template.yaml and pom.xml. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    /** Every {@code events/<function>/*.json} file, sorted. */
    public static List<Path> all() {
        return list(repositoryRoot().resolve("events"));
    }

    /** The API Gateway events: those of the functions that {@code ApiCatalog} says HTTP invokes. */
    public static List<Path> http() {
        return all().stream().filter(file -> dev.latchkey.infrastructure.deploy.ApiCatalog.functions().stream()
                .anyMatch(f -> f.isHttp() && f.module().equals(file.getParent().getFileName().toString())))
                .toList();
    }

    /** The event files of one function, sorted. */
    public static List<Path> of(String function) {
        return list(repositoryRoot().resolve("events").resolve(function));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
