/// The rooms' wall screen: one page, its style and its script, all served by dcrd (no CDN, no
/// font files: the system's sans-serif), readable from across a room: white on black, numbers
/// as large as the screen allows, one card per site.
///
/// It reads `/events` with `fetch` rather than `EventSource`, because a screen on the room's
/// network must send the monitor token as a header (`#token=…` in the address, kept in the
/// tab's session storage and taken out of the address bar), and `EventSource` sends no headers.
/// When the stream ends, fails, or is silent for three update intervals, the page says so in
/// a red band and reconnects with a growing pause (1 s to 5 s); the numbers stay, dimmed, so
/// the last known state is still readable.
enum WallScreen {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>dcr · live</title>
        <link rel="stylesheet" href="/wall.css">
        <script src="/wall.js" defer></script>
        </head>
        <body data-state="connecting">
        <header>
          <h1 data-text="title">Booths now</h1>
          <p id="state" role="status" aria-live="polite"><span data-text="connecting">Connecting…</span></p>
        </header>
        <main id="sites"></main>
        <footer><span data-text="updated">Updated</span> <time id="updated">–</time></footer>
        </body>
        </html>

        """

    static let css = """
        :root { color-scheme: dark; --fg: #ffffff; --dim: #b8b8b8; --bg: #000000; --card: #151515;
                --ok: #4ade80; --warn: #facc15; --full: #f87171; }
        * { box-sizing: border-box; }
        html, body { margin: 0; height: 100%; background: var(--bg); color: var(--fg);
                     font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
        body { display: flex; flex-direction: column; padding: 2vh 2vw; gap: 2vh; }
        header { display: flex; justify-content: space-between; align-items: baseline; }
        h1 { font-size: 4.5vh; margin: 0; font-weight: 700; }
        #state { font-size: 3.2vh; margin: 0; padding: 0.4vh 1.2vw; border-radius: 0.6vh; }
        body[data-state="live"] #state { color: var(--ok); }
        body[data-state="lost"] #state, body[data-state="connecting"] #state { background: #7f1d1d; color: #fff; font-weight: 700; }
        body[data-state="lost"] main { opacity: 0.45; }
        main { flex: 1; display: grid; gap: 2vw; grid-template-columns: repeat(auto-fit, minmax(28vw, 1fr)); }
        .site { background: var(--card); border-radius: 1.5vh; padding: 2.5vh 2vw; display: flex; flex-direction: column; gap: 1.5vh; }
        .site h2 { font-size: 5vh; margin: 0; letter-spacing: 0.05em; }
        .booths { font-size: 15vh; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }
        .booths .of { font-size: 7vh; color: var(--dim); font-weight: 600; }
        .unit { font-size: 3vh; color: var(--dim); margin-top: -1vh; }
        .bar { height: 2.2vh; background: #333; border-radius: 1.1vh; overflow: hidden; }
        .bar > div { height: 100%; width: 0; background: var(--ok); transition: width 0.4s; }
        .site[data-fill="high"] .bar > div { background: var(--warn); }
        .site[data-fill="full"] .bar > div { background: var(--full); }
        dl { display: grid; grid-template-columns: 1fr auto; gap: 0.4vh 1vw; margin: 0; font-size: 3vh; }
        dt { color: var(--dim); }
        dd { margin: 0; text-align: right; font-weight: 700; font-variant-numeric: tabular-nums; }
        footer { font-size: 2.6vh; color: var(--dim); }

        """

    static let script = """
        "use strict";
        (function () {
          const words = {
            en: { title: "Booths now", live: "Live", connecting: "Connecting…",
                  lost: "Connection lost: reconnecting…", updated: "Updated (daemon's clock)",
                  booths: "booths taken", m5: "Intakes, 5 min", h1: "Intakes, 1 hour",
                  today: "Intakes today", typical: "Typical by now", incidents: "Incidents today",
                  referrals: "Referrals today", turnaways: "Turned away today", none: "no history yet" },
            da: { title: "Kabiner nu", live: "Live", connecting: "Forbinder…",
                  lost: "Forbindelsen er tabt: forbinder igen…", updated: "Opdateret (dcrd's ur)",
                  booths: "kabiner i brug", m5: "Indtag, 5 min", h1: "Indtag, 1 time",
                  today: "Indtag i dag", typical: "Typisk hertil", incidents: "Hændelser i dag",
                  referrals: "Henvisninger i dag", turnaways: "Afvist i dag", none: "ingen historik endnu" }
          };
          const query = new URLSearchParams(location.search);
          const lang = (query.get("lang") || navigator.language || "en").slice(0, 2) === "da" ? "da" : "en";
          const t = words[lang];
          document.documentElement.lang = lang;
          document.querySelectorAll("[data-text]").forEach(el => { el.textContent = t[el.dataset.text]; });

          // The monitor token travels in the fragment (never sent to a server), then lives in this tab only.
          const hash = new URLSearchParams(location.hash.slice(1));
          if (hash.get("token")) {
            sessionStorage.setItem("dcr-token", hash.get("token"));
            history.replaceState(null, "", location.pathname + location.search);
          }
          const token = sessionStorage.getItem("dcr-token");

          const sites = document.getElementById("sites");
          const cards = new Map();
          let interval = 1000, lastMessage = 0, pause = 1000, controller = null;

          function setState(state) {
            document.body.dataset.state = state;
            const el = document.getElementById("state");
            el.textContent = state === "live" ? t.live : state === "lost" ? t.lost : t.connecting;
          }

          function card(code) {
            let c = cards.get(code);
            if (c) return c;
            c = document.createElement("section");
            c.className = "site";
            c.dataset.site = code;
            const row = (key, field) => `<dt>${t[key]}</dt><dd data-field="${field}">–</dd>`;
            c.innerHTML = `<h2></h2>
              <div class="booths"><span data-field="booths_taken">–</span><span class="of"> / <span data-field="capacity">–</span></span></div>
              <div class="unit">${t.booths}</div>
              <div class="bar"><div></div></div>
              <dl>${row("m5", "intakes_5m")}${row("h1", "intakes_1h")}${row("today", "intakes_today")}${row("typical", "typical_today")}
                  ${row("incidents", "incidents_today")}${row("referrals", "referrals_today")}${row("turnaways", "turn_aways_today")}</dl>`;
            c.querySelector("h2").textContent = code;
            sites.appendChild(c);
            cards.set(code, c);
            return c;
          }

          function render(load) {
            interval = load.update_interval_ms || interval;
            for (const s of load.sites) {
              const c = card(s.site);
              for (const field of ["booths_taken", "capacity", "intakes_5m", "intakes_1h", "intakes_today",
                                   "incidents_today", "referrals_today", "turn_aways_today"]) {
                c.querySelector(`[data-field="${field}"]`).textContent = String(s[field]);
              }
              c.querySelector('[data-field="typical_today"]').textContent =
                s.typical_today === null ? t.none : String(Math.round(s.typical_today));
              const share = s.capacity ? s.booths_taken / s.capacity : 0;
              c.querySelector(".bar > div").style.width = Math.min(100, share * 100) + "%";
              c.dataset.fill = share >= 1 ? "full" : share >= 0.75 ? "high" : "ok";
            }
            const at = new Date(load.server_time_ms);
            const updated = document.getElementById("updated");
            updated.dateTime = at.toISOString();
            updated.textContent = at.toLocaleTimeString(lang === "da" ? "da-DK" : "en-GB");
            document.body.dataset.serverTimeMs = String(load.server_time_ms);
          }

          async function connect() {
            controller = new AbortController();
            const headers = token ? { "Authorization": "Bearer " + token } : {};
            try {
              const response = await fetch("/events", { headers, cache: "no-store", signal: controller.signal });
              if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
              const reader = response.body.getReader();
              const decoder = new TextDecoder();
              let buffer = "";
              for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                buffer += decoder.decode(value, { stream: true });
                let end;
                while ((end = buffer.indexOf("\\n\\n")) >= 0) {
                  const block = buffer.slice(0, end);
                  buffer = buffer.slice(end + 2);
                  const data = block.split("\\n").filter(l => l.startsWith("data:")).map(l => l.slice(5).trim()).join("\\n");
                  if (!data) continue;
                  render(JSON.parse(data));
                  lastMessage = Date.now();
                  pause = 1000;
                  setState("live");
                }
              }
            } catch (e) {
              // falls through to the reconnect below
            }
            setState("lost");
            setTimeout(connect, pause);
            pause = Math.min(5000, pause * 2);
          }

          // A stream that stays open but says nothing (a half-dead network) counts as lost too.
          setInterval(() => {
            if (document.body.dataset.state === "live" && Date.now() - lastMessage > 3 * interval) {
              setState("lost");
              if (controller) controller.abort();
            }
          }, 500);

          connect();
        })();

        """
}
