package io.wshunt.runner;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads Gatling's binary {@code simulation.log} (the format of {@code LogFileDataWriter} in
 * Gatling 3.15): a run record, then user, request, group and error records whose times are
 * milliseconds since the run start and whose strings go through a per-file cache.
 */
final class SimulationLog implements AutoCloseable {
    /** Versions whose format this reader knows; any other is refused rather than misread. */
    static final Set<String> KNOWN_VERSIONS = Set.of("3.15.1");

    static final byte RUN = 0;
    static final byte REQUEST = 1;
    static final byte USER = 2;
    static final byte GROUP = 3;
    static final byte ERROR = 4;

    /** A string as Gatling stores it: the String's internal bytes and coder, copied without decoding. */
    record Text(byte[] value, byte coder) {
        static final Text EMPTY = new Text(new byte[0], (byte) 0);

        String decode() {
            return new String(value, coder == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_16LE);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Text text && text.coder == coder && Arrays.equals(text.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(value) + coder;
        }
    }

    /** The run record. */
    record Header(Text version, Text simulationClass, long start, Text description, List<Text> scenarios, List<byte[]> assertions) {
    }

    /** One record after the header; which fields mean something depends on {@code kind}. */
    record Entry(byte kind, int scenario, boolean flag, List<Text> groups, Text name, int start, int end, int cumulated, Text message) {
    }

    /** Longest string a record may hold, and most groups, scenarios or assertions: past these a count is corrupt, not large. */
    static final int MOST_BYTES = 1 << 20;
    static final int MOST_ITEMS = 100_000;

    private final Path file;
    private final Counting counting;
    private final DataInputStream in;
    private final Map<Integer, Text> cache = new HashMap<>();
    private final Header header;
    /** Where the last record broke off, or -1: a log whose writer was killed mid-record. */
    private long truncatedAt = -1;

    SimulationLog(Path file) throws IOException {
        this.file = file;
        this.counting = new Counting(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        this.in = new DataInputStream(counting);
        try {
            this.header = readHeader();
        } catch (EOFException e) {
            in.close();
            throw corrupt("the run record is cut short");
        }
    }

    /** Counts the bytes read, so that an error can say where in the file it is. */
    private static final class Counting extends FilterInputStream {
        long offset;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int read = super.read();
            if (read >= 0) offset++;
            return read;
        }

        @Override
        public int read(byte[] buffer, int from, int length) throws IOException {
            int read = super.read(buffer, from, length);
            if (read > 0) offset += read;
            return read;
        }
    }

    /** The byte offset where the file's last record broke off, if it did. */
    OptionalLong truncatedAt() {
        return truncatedAt < 0 ? OptionalLong.empty() : OptionalLong.of(truncatedAt);
    }

    private IOException corrupt(String what) {
        return new IOException(file + " is corrupt at byte " + counting.offset + ": " + what);
    }

    /** A count or length read from the file, checked before anything is sized by it. */
    private int count(String what, int most) throws IOException {
        int value = in.readInt();
        if (value < 0 || value > most) {
            throw corrupt(what + " of " + value + " (0 to " + most + " expected)");
        }
        return value;
    }

    Header header() {
        return header;
    }

    private Header readHeader() throws IOException {
        if (in.read() != RUN) {
            throw new IOException(file + " is not a Gatling simulation.log: it does not start with a run record");
        }
        Text version = text();
        if (!KNOWN_VERSIONS.contains(version.decode())) {
            throw new IOException(file + " was written by Gatling " + version.decode() + "; this merger knows the format of "
                    + KNOWN_VERSIONS + " only. Merge with that Gatling version, or teach SimulationLog the new format.");
        }
        Text simulationClass = text();
        long start = in.readLong();
        Text description = text();
        List<Text> scenarios = new ArrayList<>();
        for (int i = count("a scenario count", MOST_ITEMS); i > 0; i--) {
            scenarios.add(text());
        }
        List<byte[]> assertions = new ArrayList<>();
        for (int i = count("an assertion count", MOST_ITEMS); i > 0; i--) {
            assertions.add(bytes(count("an assertion length", MOST_BYTES)));
        }
        return new Header(version, simulationClass, start, description, scenarios, assertions);
    }

    /**
     * The next record, or null at the end of the file. A last record cut short (Gatling killed
     * mid-write) ends the file too, and {@link #truncatedAt()} says where.
     */
    Entry next() throws IOException {
        long recordStart = counting.offset;
        int kind = in.read();
        if (kind < 0) {
            return null;
        }
        try {
            return switch (kind) {
                case USER -> {
                    int scenario = in.readInt();
                    if (scenario < 0 || scenario >= header.scenarios().size()) {
                        throw corrupt("a user of scenario " + scenario + ", of " + header.scenarios().size());
                    }
                    yield new Entry(USER, scenario, in.readBoolean(), List.of(), null, in.readInt(), 0, 0, null);
                }
                case REQUEST -> {
                    List<Text> groups = groups();
                    Text name = cachedText();
                    int start = in.readInt();
                    int end = in.readInt();
                    boolean ok = in.readBoolean();
                    yield new Entry(REQUEST, 0, ok, groups, name, start, end, 0, cachedText());
                }
                case GROUP -> {
                    List<Text> groups = groups();
                    int start = in.readInt();
                    int end = in.readInt();
                    int cumulated = in.readInt();
                    yield new Entry(GROUP, 0, in.readBoolean(), groups, null, start, end, cumulated, null);
                }
                case ERROR -> {
                    Text message = cachedText();
                    yield new Entry(ERROR, 0, false, List.of(), null, in.readInt(), 0, 0, message);
                }
                default -> throw corrupt("an unknown record type " + kind);
            };
        } catch (EOFException e) {
            // The complete records are kept; where the last one broke off is said, not hidden.
            truncatedAt = recordStart;
            return null;
        }
    }

    private List<Text> groups() throws IOException {
        int count = count("a group count", MOST_ITEMS);
        List<Text> groups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            groups.add(cachedText());
        }
        return groups;
    }

    private Text cachedText() throws IOException {
        int index = in.readInt();
        if (index >= 0) {
            Text text = text();
            cache.put(index, text);
            return text;
        }
        Text cached = cache.get(-index);
        if (cached == null) {
            throw corrupt("a reference to string " + -index + " before it was defined");
        }
        return cached;
    }

    private Text text() throws IOException {
        int length = count("a string length", MOST_BYTES);
        if (length == 0) {
            return Text.EMPTY;
        }
        return new Text(bytes(length), in.readByte());
    }

    private byte[] bytes(int length) throws IOException {
        byte[] value = in.readNBytes(length);
        if (value.length < length) {
            throw new EOFException();
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
