package io.wshunt.runner.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A misbehaving client on a plain socket, which no well-behaved library would be: one that stops
 * mid-request (a slowloris), one that upgrades and then never reads, one that writes frames as
 * fast as the socket takes them. Frames are masked with a zero key, which leaves the bytes as they are.
 */
final class RawSocket implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 5_000;

    private final Socket socket;

    private RawSocket(Socket socket) {
        this.socket = socket;
    }

    /** Connects and sends the start of an upgrade request, never its end. */
    static RawSocket halfRequest(URI webSocket) throws IOException {
        RawSocket raw = new RawSocket(connect(webSocket, 0));
        raw.write("GET " + webSocket.getPath() + "/never-upgrades HTTP/1.1\r\nHost: " + webSocket.getHost() + "\r\n");
        return raw;
    }

    /** Connects and upgrades as {@code user}; {@code receiveBuffer} bytes of socket buffer, 0 for the default. */
    static RawSocket upgraded(URI webSocket, String user, int receiveBuffer) throws IOException {
        RawSocket raw = new RawSocket(connect(webSocket, receiveBuffer));
        String key = Base64.getEncoder().encodeToString("wshunt-fault-key".getBytes(StandardCharsets.US_ASCII));
        raw.write("GET " + webSocket.getPath() + "/" + user + " HTTP/1.1\r\nHost: " + webSocket.getHost() + ":" + webSocket.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String head = raw.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            raw.close();
            throw new IOException("the upgrade was refused: " + head.lines().findFirst().orElse(""));
        }
        return raw;
    }

    private static Socket connect(URI webSocket, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
        }
        socket.connect(new InetSocketAddress(webSocket.getHost(), webSocket.getPort()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    /** One masked text frame. */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        byte[] frame;
        int header;
        if (length < 126) {
            frame = new byte[2 + 4 + length];
            frame[1] = (byte) (0x80 | length);
            header = 2;
        } else if (length < 65_536) {
            frame = new byte[4 + 4 + length];
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
            header = 4;
        } else {
            throw new IllegalArgumentException("frames here stay under 64 KB");
        }
        frame[0] = (byte) 0x81;
        // Mask key 0,0,0,0 (bytes header..header+3 stay zero): the payload goes as it is.
        System.arraycopy(payload, 0, frame, header + 4, length);
        OutputStream out = socket.getOutputStream();
        out.write(frame);
    }

    private void write(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private String readHead() throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 8_192 && !head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) break;
            head.append((char) next);
        }
        return head.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket the server already dropped.
        }
    }
}
