/* The check page: model suggestions as you type, and reading the label from a photo.
   Plain script, no framework; the page works without it (the form is a plain GET form). */
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) { return; }
  var messages = JSON.parse(document.getElementById("cw-messages").textContent);
  var zh = document.documentElement.lang.indexOf("zh") === 0;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  /* -- model suggestions (GET /v1/models, the API's own listing) -------------------- */
  var model = document.getElementById("f-model");
  var brand = document.getElementById("f-brand");
  var list = document.getElementById("model-suggestions");
  var timer = null;
  var asked = "";

  function suggest() {
    var text = model.value.trim();
    var key = (brand.value.trim() + "|" + text).toLowerCase();
    if (!text || key === asked) { return; }
    asked = key;
    var params = new URLSearchParams({ search: text, limit: "10" });
    fetch("/v1/models?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) {
        list.textContent = "";
        (body.results || []).forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.model;
          var names = (item.names || []).join(", ");
          option.label = item.brand + (names ? " · " + names : "");
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are a convenience: say nothing */ });
  }

  model.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });

  /* -- read the label from a photo (POST /v1/read-label) ---------------------------- */
  var input = document.getElementById("photo-input");
  var status = document.getElementById("photo-status");
  var FIELDS = {
    brand: "brand", model: "model", serial: "serial", batch: "batch", produced: "produced",
    capacity_mah: "capacity_mah", voltage_v: "voltage", energy_wh: "energy_wh",
    ccc_mark: "ccc_mark", ccc_certificate: "ccc_certificate"
  };

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function clearNotes() {
    Array.prototype.forEach.call(form.querySelectorAll(".read-note"), function (note) {
      note.hidden = true;
      note.textContent = "";
    });
    Array.prototype.forEach.call(form.querySelectorAll(".prefilled"), function (element) {
      element.classList.remove("prefilled");
    });
  }

  function note(name, fact) {
    var element = document.getElementById("read-" + name);
    if (!element) { return; }
    var parts = [say(messages.read_as, { text: fact.text || fact.value })];
    if (typeof fact.confidence === "number") {
      parts.push(say(messages.confidence, { percent: Math.round(fact.confidence * 100) }));
    }
    parts.push(messages.check_it);
    element.textContent = parts.join(" · ");
    element.hidden = false;
  }

  function prefill(facts) {
    var count = 0;
    Object.keys(FIELDS).forEach(function (key) {
      var fact = facts[key];
      if (!fact || fact.value === null || fact.value === undefined || fact.value === "") {
        return;
      }
      var name = FIELDS[key];
      if (name === "ccc_mark") {
        var radio = form.querySelector('input[name="ccc_mark"][value="' + String(fact.value) + '"]');
        if (!radio) { return; }
        radio.checked = true;
        document.getElementById("f-ccc_mark").classList.add("prefilled");
      } else {
        var field = document.getElementById("f-" + name);
        if (!field) { return; }
        field.value = String(fact.value);
        document.getElementById("wrap-" + name).classList.add("prefilled");
      }
      note(name, fact);
      count += 1;
    });
    return count;
  }

  function failure(response, body) {
    if (response.status === 404 || response.status === 405 || response.status === 501) {
      return messages.unavailable;
    }
    if (response.status === 413) { return messages.too_large; }
    if (response.status === 415 || response.status === 422 || response.status === 400) {
      var detail = body && body.error && body.error.message ? body.error.message : "";
      return say(messages.unreadable, { message: detail });
    }
    return messages.failed;
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) { return; }
    if (file.type && file.type.indexOf("image/") !== 0) {
      show(messages.not_image, true);
      return;
    }
    clearNotes();
    show(messages.reading, false);
    var data = new FormData();
    data.append("photo", file);
    fetch("/v1/read-label", { method: "POST", body: data, headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (!response.ok) {
            show(failure(response, body), true);
            return;
          }
          var count = prefill((body && body.facts) || {});
          var extra = ((body && body.notes) || []).map(function (n) {
            return zh && n.zh ? n.zh : n.en;
          }).filter(Boolean).join(" ");
          show((count ? say(messages.read, { count: count }) : messages.nothing) +
               (extra ? " " + extra : ""), count === 0);
        });
      })
      .catch(function () { show(messages.failed, true); })
      .then(function () { input.value = ""; });
  });
}());
