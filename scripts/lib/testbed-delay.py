#!/usr/bin/python3
"""scripts/lib/testbed-delay.py CONF PIDFILE: the WAN delay of one testbed datacenter.

The kernel `tc netem` would do this, but kernels built without sch_netem exist
(this project's machines among them). So a datacenter's router netns sends every
packet that crosses its WAN veth, both directions, to NFQUEUE 0 (iptables), and
this daemon, started inside that netns, releases each packet (verdict ACCEPT)
once it has waited the one-way delay. Packets are released in arrival order,
so one batch verdict covers every packet that is due.

CONF holds "delay_us=N" (the one-way delay: half the RTT); SIGHUP re-reads it.
Standard library only: it speaks nfnetlink_queue over a raw netlink socket,
with copy mode META (no payload is copied) and GSO packets queued whole.
"""
import collections
import os
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG, NFQNL_MSG_VERDICT_BATCH = 0, 1, 2, 3
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN, NFQA_CFG_MASK, NFQA_CFG_FLAGS = 1, 2, 3, 4, 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_CFG_F_GSO = 4
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NF_ACCEPT = 1
QUEUE = 0
MAXLEN = 20000  # packets waiting in the kernel at most (beyond: dropped, like a full link)


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def message(kind, payload, flags=NLM_F_REQUEST):
    body = struct.pack("!BBH", socket.AF_UNSPEC, 0, QUEUE) + payload
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, flags, 0, 0) + body


def read_delay(conf):
    for line in open(conf):
        key, _, value = line.strip().partition("=")
        if key == "delay_us":
            return int(value) / 1e6
    raise SystemExit(f"testbed-delay: no delay_us= in {conf}")


def main():
    conf, pidfile = sys.argv[1:3]
    state = {"delay": read_delay(conf)}

    def reload(*_):
        try:
            state["delay"] = read_delay(conf)
        except (OSError, ValueError, SystemExit) as error:
            print(f"testbed-delay: keeping the old delay, cannot read {conf}: {error}", file=sys.stderr)

    signal.signal(signal.SIGHUP, reload)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE (root): no ENOBUFS under bursts
    sock.bind((0, 0))
    config = (
        attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, 0)),
        attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META))
        + attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", MAXLEN))
        + attr(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_GSO))
        + attr(NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_GSO)),
    )
    for payload in config:
        sock.send(message(NFQNL_MSG_CONFIG, payload, NLM_F_REQUEST | NLM_F_ACK))
        reply = sock.recv(65536)
        kind, = struct.unpack_from("=H", reply, 4)
        error, = struct.unpack_from("=i", reply, 16)
        if kind != NLMSG_ERROR or error != 0:
            raise SystemExit(f"testbed-delay: binding NFQUEUE {QUEUE} failed: {os.strerror(-error)}")
    with open(pidfile + ".tmp", "w") as out:
        out.write(f"{os.getpid()}\n")
    os.rename(pidfile + ".tmp", pidfile)  # written once the queue is bound: the caller waits for it

    waiting = collections.deque()  # (due time, packet id), in arrival order
    sock.setblocking(False)
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    while True:
        timeout = None
        if waiting:
            timeout = max(0, (waiting[0][0] - time.monotonic()) * 1000)
        if poller.poll(timeout):
            now = time.monotonic()
            while True:
                try:
                    data = sock.recv(1 << 20)
                except BlockingIOError:
                    break
                except OSError as error:  # ENOBUFS: the kernel dropped notifications
                    print(f"testbed-delay: {error}", file=sys.stderr)
                    continue
                offset = 0
                while offset + 16 <= len(data):
                    length, kind = struct.unpack_from("=IH", data, offset)
                    if length < 16:
                        break
                    if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                        at = offset + 20  # nlmsghdr + nfgenmsg
                        while at + 4 <= offset + length:
                            alen, akind = struct.unpack_from("=HH", data, at)
                            if alen < 4:
                                break
                            if akind & 0x7FFF == NFQA_PACKET_HDR:
                                packet_id, = struct.unpack_from("!I", data, at + 4)
                                waiting.append((now + state["delay"], packet_id))
                                break
                            at += (alen + 3) & ~3
                    offset += (length + 3) & ~3
        now = time.monotonic()
        last = None
        while waiting and waiting[0][0] <= now:
            last = waiting.popleft()[1]
        if last is not None:
            verdict = attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, last))
            while True:
                try:
                    sock.send(message(NFQNL_MSG_VERDICT_BATCH, verdict))
                    break
                except BlockingIOError:
                    select.select([], [sock], [], 0.01)


if __name__ == "__main__":
    main()
