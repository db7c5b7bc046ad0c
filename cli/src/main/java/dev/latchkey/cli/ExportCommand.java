package dev.latchkey.cli;

import dev.latchkey.infrastructure.admin.TableExport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latchkey export --out file.jsonl} ({@link TableExport}). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes users (with PHC password hashes), organizations, members, teams, resources, grants, "
                + "clients, API keys (hashes), passkeys and the sealed peppers as JSON Lines. The file holds hashes "
                + "and sealed secrets: it is created owner-only (0600); keep it like a secret.")
final class ExportCommand extends AdminCommand {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (replaced).")
    Path out;

    ExportCommand(LatchkeyCli cli) {
        super(cli);
    }

    @Override
    int run(Deployment deployment, Output output) {
        Progress progress = Progress.onTerminal(spec.commandLine().getErr(), output, "exported");
        TableExport.Summary summary;
        try {
            Files.deleteIfExists(out);
            Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING))) {
                summary = deployment.root().tableExport().export(writer, progress::update);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.done();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", out.toString());
        json.put("users", summary.users());
        json.put("items", summary.items());
        json.put("lines", summary.total());
        output.result(json, "Exported " + summary.users() + " users and " + (summary.total() - summary.users())
                + " items " + summary.items() + " to " + out + ".");
        return ExitCodes.OK;
    }
}
