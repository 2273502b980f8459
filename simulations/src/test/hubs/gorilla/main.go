// A chat hub in the shape of gorilla/websocket's chat example, the hub most Go teams start from:
// every text message a client sends goes unchanged to every connected client, the sender too; a
// client's writer puts what has queued up for it into one frame, one message per line; a client
// too slow to keep up is dropped. /echo sends each message back to its sender. No welcome and no
// acknowledgement: what wshunt's broadcast-hub and echo profiles describe. GET /stats has counters
// in names of its own ({"clients","received","delivered"}), as a team's server might.
//
// Build offline from Debian's golang-go and golang-github-gorilla-websocket-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o hub main.go
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait      = 10 * time.Second
	pongWait       = 60 * time.Second
	pingPeriod     = (pongWait * 9) / 10
	maxMessageSize = 64 * 1024
	queuedPerUser  = 1024
)

var upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}

// Counters for GET /stats: clients connected now, messages received, messages written to clients.
var clients, received, delivered int64

type client struct {
	hub  *hub
	conn *websocket.Conn
	send chan []byte
}

type hub struct {
	clients    map[*client]bool
	broadcast  chan []byte
	register   chan *client
	unregister chan *client
}

func (h *hub) run() {
	for {
		select {
		case c := <-h.register:
			h.clients[c] = true
			atomic.AddInt64(&clients, 1)
		case c := <-h.unregister:
			if _, ok := h.clients[c]; ok {
				delete(h.clients, c)
				close(c.send)
				atomic.AddInt64(&clients, -1)
			}
		case message := <-h.broadcast:
			for c := range h.clients {
				select {
				case c.send <- message:
				default: // too slow: dropped, as the example does
					close(c.send)
					delete(h.clients, c)
					atomic.AddInt64(&clients, -1)
				}
			}
		}
	}
}

func (c *client) readPump() {
	defer func() {
		c.hub.unregister <- c
		c.conn.Close()
	}()
	c.conn.SetReadLimit(maxMessageSize)
	c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { c.conn.SetReadDeadline(time.Now().Add(pongWait)); return nil })
	for {
		_, message, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		c.conn.SetReadDeadline(time.Now().Add(pongWait))
		atomic.AddInt64(&received, 1)
		c.hub.broadcast <- bytes.TrimSpace(message)
	}
}

// writePump batches what is queued into one frame, one message per line.
func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case message, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage, []byte{})
				return
			}
			w, err := c.conn.NextWriter(websocket.TextMessage)
			if err != nil {
				return
			}
			w.Write(message)
			written := int64(1)
			for n := len(c.send); n > 0; n-- {
				w.Write([]byte{'\n'})
				w.Write(<-c.send)
				written++
			}
			atomic.AddInt64(&delivered, written)
			if err := w.Close(); err != nil {
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

func serveHub(h *hub, w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &client{hub: h, conn: conn, send: make(chan []byte, queuedPerUser)}
	h.register <- c
	go c.writePump()
	go c.readPump()
}

func serveEcho(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetReadLimit(maxMessageSize)
	for {
		kind, message, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(kind, message); err != nil {
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "address to listen on (loopback unless told otherwise)")
	flag.Parse()
	h := &hub{clients: map[*client]bool{}, broadcast: make(chan []byte, 256), register: make(chan *client), unregister: make(chan *client)}
	go h.run()
	http.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) { serveHub(h, w, r) })
	http.HandleFunc("/echo", serveEcho)
	http.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]int64{"clients": atomic.LoadInt64(&clients),
			"received": atomic.LoadInt64(&received), "delivered": atomic.LoadInt64(&delivered)})
	})
	log.Printf("hub listening on %s: /ws broadcasts, /echo echoes", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
