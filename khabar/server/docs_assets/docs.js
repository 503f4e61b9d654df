// khabar API documentation: renders /openapi.json with DOM calls only (no HTML from the document is parsed).
"use strict";
(function () {
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  function refName(s) { return s && s.$ref ? s.$ref.split("/").pop() : null; }
  function typeOf(s) {
    if (!s) return "";
    if (s.$ref) return refName(s);
    if (s.anyOf) return s.anyOf.map(typeOf).join(" | ");
    if (s.enum) return s.enum.map(function (v) { return JSON.stringify(v); }).join(" | ");
    if (s.type === "array") return "array of " + typeOf(s.items);
    var t = s.type || "any";
    if (s.format) t += " (" + s.format + ")";
    return t;
  }
  function constraints(s) {
    if (!s) return "";
    var out = [];
    ["minimum", "maximum", "minLength", "maxLength", "pattern", "default"].forEach(function (k) {
      if (s[k] !== undefined) out.push(k + ": " + JSON.stringify(s[k]));
    });
    if (s.anyOf) s.anyOf.forEach(function (x) { var c = constraints(x); if (c) out.push(c); });
    return out.join("; ");
  }
  function schemaLink(s) {
    var n = refName(s) || (s && s.items && refName(s.items));
    if (!n) return typeOf(s);
    return el("a", { href: "#schema-" + n }, [typeOf(s)]);
  }
  function renderOp(path, method, op) {
    var id = (method + path).replace(/[^A-Za-z0-9]+/g, "-");
    var box = el("section", { "class": "op", id: id }, [
      el("h3", {}, [el("span", { "class": "m " + method }, [method.toUpperCase()]), path]),
      op.summary ? el("p", {}, [el("strong", {}, [op.summary])]) : null,
      op.description ? el("p", {}, [op.description]) : null
    ]);
    var params = op.parameters || [];
    if (params.length) {
      var rows = params.map(function (p) {
        return el("tr", {}, [el("td", {}, [el("code", {}, [p.name])]), el("td", {}, [p["in"]]),
          el("td", {}, [p.required ? "yes" : ""]), el("td", {}, [typeOf(p.schema)]),
          el("td", {}, [constraints(p.schema)]), el("td", {}, [p.description || (p.schema || {}).description || ""])]);
      });
      box.appendChild(el("table", {}, [el("thead", {}, [el("tr", {}, ["name", "in", "required", "type",
        "constraints", "description"].map(function (h) { return el("th", {}, [h]); }))]),
        el("tbody", {}, rows)]));
    }
    if (op.requestBody) {
      var c = op.requestBody.content || {};
      box.appendChild(el("p", {}, ["Request body: "].concat(Object.keys(c).map(function (mt) {
        return el("span", {}, [el("code", {}, [mt]), " ", schemaLink(c[mt].schema), "  "]);
      }))));
    }
    var resp = op.responses || {};
    var rrows = Object.keys(resp).map(function (code) {
      var r = resp[code], c = r.content || {};
      return el("tr", {}, [el("td", {}, [code]), el("td", {}, [r.description || ""]),
        el("td", {}, Object.keys(c).map(function (mt) {
          return el("div", {}, [el("code", {}, [mt]), " ", schemaLink(c[mt].schema)]);
        })), el("td", {}, [Object.keys(r.headers || {}).join(", ")])]);
    });
    box.appendChild(el("table", {}, [el("thead", {}, [el("tr", {}, ["status", "meaning", "body", "headers"]
      .map(function (h) { return el("th", {}, [h]); }))]), el("tbody", {}, rrows)]));
    return box;
  }
  function renderSchema(name, s) {
    var props = s.properties || {}, req = s.required || [];
    var rows = Object.keys(props).map(function (k) {
      var p = props[k];
      return el("tr", {}, [el("td", {}, [el("code", {}, [k])]), el("td", {}, [schemaLink(p)]),
        el("td", {}, [req.indexOf(k) >= 0 ? "yes" : ""]),
        el("td", {}, [p.deprecated ? el("span", { "class": "dep" }, ["deprecated "]) : null, p.description || ""])]);
    });
    return el("details", { id: "schema-" + name }, [el("summary", {}, [el("code", {}, [name])]),
      s.description ? el("p", {}, [s.description]) : null,
      el("table", {}, [el("thead", {}, [el("tr", {}, ["field", "type", "always", "description"]
        .map(function (h) { return el("th", {}, [h]); }))]), el("tbody", {}, rows)])]);
  }
  function render(spec) {
    var main = document.getElementById("docs");
    main.textContent = "";
    main.appendChild(el("h2", {}, [spec.info.title + " " + spec.info.version]));
    main.appendChild(el("p", {}, [spec.info.description || ""]));
    if (spec.security) main.appendChild(el("p", {}, ["This server needs its token: Authorization: Bearer TOKEN."]));
    var toc = el("ul", {}, []), ops = [];
    Object.keys(spec.paths).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method];
        var id = (method + path).replace(/[^A-Za-z0-9]+/g, "-");
        toc.appendChild(el("li", {}, [el("a", { href: "#" + id }, [method.toUpperCase() + " " + path]),
          op.summary ? " — " + op.summary : ""]));
        ops.push(renderOp(path, method, op));
      });
    });
    main.appendChild(el("nav", { "aria-label": "routes" }, [toc]));
    ops.forEach(function (o) { main.appendChild(o); });
    var schemas = (spec.components || {}).schemas || {};
    main.appendChild(el("h2", { id: "schemas" }, ["Schemas"]));
    Object.keys(schemas).sort().forEach(function (n) { main.appendChild(renderSchema(n, schemas[n])); });
  }
  function start() {
    fetch("/openapi.json", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(render)
      .catch(function (e) { document.getElementById("loading").textContent = "/openapi.json: " + e; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
