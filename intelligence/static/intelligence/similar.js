/* Similar open demands on the staff intake form: as the clerk types the title or the text,
   ask the server (debounced) for the five most similar open demands the clerk may see and
   list them with their score and a link to each demand's page, where the merge action is. */
(function () {
  "use strict";

  var WAIT_MS = 400;
  var MIN_CHARS = 6;

  function init() {
    var panel = document.querySelector("[data-similar-demands]");
    if (!panel) {
      return;
    }
    var title = document.getElementById(panel.dataset.titleField);
    var text = document.getElementById(panel.dataset.textField);
    var list = panel.querySelector("[data-similar-list]");
    if (!text || !list) {
      return;
    }
    var timer = null;
    var asked = "";
    var latest = 0;

    function show(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var row = document.createElement("li");
        row.className = "d-flex justify-content-between gap-2 py-1 border-bottom";
        row.dataset.demandId = item.id;
        row.dataset.score = item.score;
        var link = document.createElement("a");
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = item.number + " " + item.title;
        var about = document.createElement("span");
        about.className = "text-body-secondary text-nowrap";
        about.textContent = item.enterprise + " · " + item.status + " · " + Math.round(item.score * 100) + "%";
        var left = document.createElement("div");
        left.appendChild(link);
        row.appendChild(left);
        row.appendChild(about);
        list.appendChild(row);
      });
      panel.classList.toggle("d-none", results.length === 0);
      panel.dataset.count = results.length;
    }

    function ask() {
      var query = { title: title ? title.value.trim() : "", text: text.value.trim() };
      var key = query.title + "\n" + query.text;
      if (key === asked) {
        return;
      }
      asked = key;
      if ((query.title + query.text).length < MIN_CHARS) {
        show([]);
        return;
      }
      var ticket = ++latest;
      var url = panel.dataset.url + "?" + new URLSearchParams(query).toString();
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (ticket === latest) {  // an older answer arriving late must not replace a newer one
            show(data.results || []);
          }
        })
        .catch(function () { /* the panel is a help, never a blocker */ });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    }

    text.addEventListener("input", later);
    if (title) {
      title.addEventListener("input", later);
    }
    if (text.value || (title && title.value)) {
      ask();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
