package dev.latchkey.cli;

import dev.latchkey.infrastructure.admin.TableImport;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latchkey import --in file.jsonl [--dry-run]} ({@link TableImport}). */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Reads JSON Lines from latchkey export, or user lines from another system (PHC password "
                + "hashes: argon2id as is; bcrypt, scrypt and pbkdf2 verified at the next login and rehashed), and "
                + "writes what is missing. Idempotent; a malformed line is reported with its number and skipped.")
final class ImportCommand extends AdminCommand {

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The file to read.")
    Path in;

    @Option(names = "--dry-run", description = "Validate and count only; write nothing.")
    boolean dryRun;

    ImportCommand(LatchkeyCli cli) {
        super(cli);
    }

    @Override
    int run(Deployment deployment, Output output) {
        PrintWriter err = spec.commandLine().getErr();
        List<Map<String, Object>> problems = new ArrayList<>();
        TableImport.Summary summary;
        // The bar is bytes read of the file's size; decoding reports malformed UTF-8 (as Files.newBufferedReader does).
        CountingInputStream counted;
        long size;
        try {
            size = Files.size(in);
            counted = new CountingInputStream(Files.newInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Progress progress = Progress.barOnTerminal(err, output, dryRun ? "checked" : "imported", size, counted::count);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(counted,
                StandardCharsets.UTF_8.newDecoder()))) {
            summary = deployment.root().tableImport().importLines(reader, dryRun, new TableImport.Listener() {
                @Override
                public void line(int number) {
                    progress.update(number);
                }

                @Override
                public void problem(int number, String message) {
                    problems.add(Map.of("line", number, "message", message));
                    if (!output.json()) {
                        progress.done();
                        err.println("line " + number + ": " + message + " (skipped)");
                        err.flush();
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.done();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dry_run", summary.dryRun());
        json.put("created", summary.created());
        json.put("existing", summary.existing());
        json.put("skipped", summary.skipped());
        json.put("problems", problems);
        output.result(json, (dryRun ? "Dry run: would create " : "Created ") + summary.created()
                + "; already present " + summary.existing() + "; skipped " + summary.skipped() + " line(s).");
        return summary.skipped() == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    /** Counts the bytes read through it: how far into the file the import is. */
    private static final class CountingInputStream extends FilterInputStream {

        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
