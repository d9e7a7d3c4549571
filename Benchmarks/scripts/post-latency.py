#!/usr/bin/env python3
"""Same-node versus cross-node @connections POST: latency percentiles and throughput.

Starts redis-server and two Switchboard nodes (cluster mode) on free ports, connects WebSocket clients to
node A (they drain what they receive), then posts N messages to one of them through node A (same node) and
through node B (forwarded through Redis to A), sequentially for latency and with T threads for throughput.
Usage: post-latency.py [--bin .build/release/switchboard] [--requests 5000] [--threads 8]"""
import argparse, http.client, json, os, socket, subprocess, sys, tempfile, threading, time

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def wait_http(port, path="/_switchboard/health"):
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1); c.request("GET", path); c.getresponse().read(); return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("node on %d did not start" % port)

def drain(ws):
    try:
        while True:
            ws.recv()
    except Exception:
        pass  # closed when the nodes stop

def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]

def run_posts(port, path, n):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    latencies = []
    for i in range(n):
        t = time.perf_counter()
        conn.request("POST", path, body=b'{"n":%d}' % i)
        r = conn.getresponse(); r.read()
        if r.status != 200:
            raise SystemExit("post answered %d" % r.status)
        latencies.append(time.perf_counter() - t)
    return latencies

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/switchboard")
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--threads", type=int, default=8)
    a = ap.parse_args()
    from websockets.sync.client import connect
    tmp = tempfile.mkdtemp()
    rport = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    nodes, ports = [], []
    try:
        for name in ("a", "b"):
            port = free_port(); ports.append(port)
            cfg = os.path.join(tmp, name + ".yaml")
            open(cfg, "w").write("""server: { listen: 127.0.0.1:%d, nodeId: node-%s }
registry: redis://127.0.0.1:%d/0
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      whoami:
        integration: { type: MOCK, integrationResponses: [ { integrationResponseKey: $default, responseTemplates: { $default: $context.connectionId } } ] }
        routeResponseSelectionExpression: $default
""" % (port, name, rport))
            nodes.append(subprocess.Popen([a.bin, "serve", "--config", cfg, "--log-level", "warning"], stdout=subprocess.DEVNULL))
        for port in ports: wait_http(port)
        time.sleep(1)
        clients = []
        for _ in range(a.threads):
            ws = connect("ws://127.0.0.1:%d/dev" % ports[0], compression=None)
            ws.send('{"action":"whoami"}'); cid = ws.recv()
            threading.Thread(target=drain, args=(ws,), daemon=True).start()
            clients.append(cid)
        time.sleep(0.5)
        results = {}
        for label, port in (("same-node", ports[0]), ("cross-node", ports[1])):
            path = "/dev/@connections/" + clients[0].replace("=", "%3D")
            run_posts(port, path, 200)  # warm-up
            lat = run_posts(port, path, a.requests)
            per = a.requests // a.threads
            def worker(cid, out):
                out.extend(run_posts(port, "/dev/@connections/" + cid.replace("=", "%3D"), per))
            outs = [[] for _ in clients]
            threads = [threading.Thread(target=worker, args=(cid, out)) for cid, out in zip(clients, outs)]
            t = time.perf_counter()
            for th in threads: th.start()
            for th in threads: th.join()
            elapsed = time.perf_counter() - t
            results[label] = {"p50_ms": percentile(lat, 0.5) * 1000, "p99_ms": percentile(lat, 0.99) * 1000,
                              "sequential_rps": a.requests / sum(lat), "concurrent_rps": per * a.threads / elapsed}
        for label, r in results.items():
            print("%-10s p50 %.3f ms  p99 %.3f ms  sequential %.0f/s  %d threads %.0f/s" % (
                label, r["p50_ms"], r["p99_ms"], r["sequential_rps"], a.threads, r["concurrent_rps"]))
        s, c = results["same-node"], results["cross-node"]
        print("cross/same: p50 x%.2f, p99 x%.2f, throughput %.2f" % (
            c["p50_ms"] / s["p50_ms"], c["p99_ms"] / s["p99_ms"], c["concurrent_rps"] / s["concurrent_rps"]))
        print(json.dumps(results))
    finally:
        for n in nodes: n.terminate()
        for n in nodes: n.wait()
        redis.terminate(); redis.wait()

if __name__ == "__main__":
    main()
