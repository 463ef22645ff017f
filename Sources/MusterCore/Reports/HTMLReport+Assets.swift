/// The page's inline style and script. System fonts only: nothing to fetch.
extension HTMLReport {
    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:0 24px 40px;color:#1d2330;background:#fff}
        header{margin:0 -24px 16px;padding:16px 24px;border-bottom:4px solid #2e7d32;background:#f3f7f3}
        header.v-failed{border-color:#c62828;background:#fbf1f1}
        h1{font-size:20px;margin:0 0 8px}h2{font-size:17px;margin:24px 0 8px}h3{font-size:14px;margin:10px 0 4px}h4{font-size:12px;margin:6px 0 2px;color:#555}
        .summary{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}.summary dt{font-weight:600}.summary dd{margin:0}
        table{border-collapse:collapse;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #e2e5ea;text-align:left;vertical-align:top}
        th{background:#eef1f5;user-select:none}th.sortable{cursor:pointer}th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
        td.n{text-align:right;font-variant-numeric:tabular-nums}td.host{font-weight:600}td.why{color:#8b1a1a}
        .badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;color:#fff;background:#777}
        .s-ok{background:#2e7d32}.s-failed{background:#c62828}.s-unreachable{background:#6a1b9a}.s-blocked{background:#e65100}.s-not-run{background:#8d8d8d}
        .controls input{padding:4px 8px;width:320px;max-width:100%}#count{color:#555;margin-left:8px}
        .scroll{overflow-x:auto}.gantt{width:100%;min-width:700px;font-size:11px}
        .lbl{fill:#1d2330}.tlbl,.blbl{fill:#555;font-size:10px}.tick{stroke:#e2e5ea}.band.b0{fill:#eef3fb}.band.b1{fill:#f7f7ee}
        .t-ok{fill:#43a047;background:#43a047}.t-changed{fill:#f9a825;background:#f9a825}.t-failed{fill:#e53935;background:#e53935}
        .t-unreachable{fill:#8e24aa;background:#8e24aa}.t-skipped{fill:#b0b0b0;background:#b0b0b0}
        .legend .key{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:-1px;border-radius:2px}
        details{border:1px solid #e2e5ea;border-radius:6px;padding:6px 12px;margin:8px 0}summary{cursor:pointer}
        pre{background:#f6f8fa;border:1px solid #e2e5ea;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:2px 0;max-height:400px}
        .task{border-left:3px solid #e53935;padding-left:10px;margin:8px 0}
        """

    /// Sorting (click or Enter on a header; numbers numerically, states by severity)
    /// and a filter box that matches every word against the row's text.
    static let script = """
        (function () {
          var table = document.getElementById("hosts"), body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows), headers = table.tHead.rows[0].cells;
          var filter = document.getElementById("filter"), count = document.getElementById("count");
          function key(row, index) {
            var cell = row.cells[index];
            return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
          }
          function update() {
            var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
            rows.forEach(function (row) {
              var text = row.textContent.toLowerCase();
              var match = words.every(function (word) { return text.indexOf(word) >= 0; });
              row.hidden = !match;
              if (match) shown++;
            });
            count.textContent = shown + " of " + rows.length + " hosts shown";
          }
          Array.prototype.forEach.call(headers, function (header, index) {
            var numeric = header.getAttribute("data-type") === "number";
            header.classList.add("sortable");
            header.tabIndex = 0;
            function sort() {
              var ascending = header.getAttribute("aria-sort") !== "ascending";
              Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
              rows.sort(function (a, b) {
                var x = key(a, index), y = key(b, index);
                var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, undefined, { numeric: true });
                return ascending ? order : -order;
              });
              rows.forEach(function (row) { body.appendChild(row); });
              header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
            }
            header.addEventListener("click", sort);
            header.addEventListener("keydown", function (event) {
              if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
            });
          });
          filter.hidden = false;
          filter.addEventListener("input", update);
          update();
          document.documentElement.setAttribute("data-js", "ready");
        })();
        """
}
