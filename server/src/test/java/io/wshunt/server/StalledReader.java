package io.wshunt.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client that completes the handshake over a plain socket with a tiny receive buffer
 * and then never reads again: the slowest consumer there is.
 */
final class StalledReader {
    private StalledReader() {
    }

    static Socket connect(URI webSocketUri) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(webSocketUri.getHost(), webSocketUri.getPort()));
        String handshake = "GET " + webSocketUri.getPath() + "/stalled HTTP/1.1\r\n"
                + "Host: " + webSocketUri.getHost() + ":" + webSocketUri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(handshake.getBytes(StandardCharsets.US_ASCII));
        readUntilEndOfHeaders(socket.getInputStream());
        return socket;
    }

    private static void readUntilEndOfHeaders(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        StringBuilder status = new StringBuilder();
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("server closed during the handshake: " + status);
            }
            status.append((char) b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (!status.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
    }
}
