package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void lineWhenTotalKnownThenBarAndPercentOfBytesRead() {
        AtomicLong read = new AtomicLong();
        Progress progress = new Progress(new PrintWriter(new StringWriter()), true, "imported", OptionalLong.of(200),
                read::get);

        assertThat(progress.line(0)).isEqualTo("imported [" + "·".repeat(20) + "] 0% 0 lines");
        read.set(100);
        assertThat(progress.line(12)).isEqualTo("imported [" + "#".repeat(10) + "·".repeat(10) + "] 50% 12 lines");
        read.set(250);
        assertThat(progress.line(30)).isEqualTo("imported [" + "#".repeat(20) + "] 100% 30 lines");
    }

    @Test
    void lineWhenTotalUnknownThenLineCounter() {
        Progress progress = new Progress(new PrintWriter(new StringWriter()), true, "exported", OptionalLong.empty(),
                () -> 0);

        assertThat(progress.line(7)).isEqualTo("exported 7 lines");
    }

    @Test
    void updateWhenWatchedThenDrawnInPlaceAndClearedAtTheEnd() {
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(out), true, "imported", OptionalLong.of(10), () -> 5);

        progress.update(3);
        progress.done();

        assertThat(out.toString()).isEqualTo("\rimported [##########··········] 50% 3 lines\r\033[K");
    }

    @Test
    void updateWhenNotWatchedThenNothingWritten() {
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(out), false, "imported", OptionalLong.of(10), () -> 5);

        progress.update(3);
        progress.done();

        assertThat(out.toString()).isEmpty();
    }
}
