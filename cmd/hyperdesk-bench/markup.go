package main

// baselineMarkup is the baseline's one template set, written by hand to
// give the same HTML the framework gives a viewer (the CSRF token is a
// fixed string of the same length).
const baselineMarkup = `
{{- define "head" -}}
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ .Title }} · hyperdesk ops</title>
  <meta name="description" content="{{ .Title }} — hyperdesk ops, internal tools for the operations team.">
  <meta name="color-scheme" content="light dark">
  <link rel="icon" href="data:,">
  <meta name="htmx-config" content='{"includeIndicatorCSS":false}'>
  <link rel="stylesheet" href="/assets/css/app.d8961c32b5.css">
  <script src="/assets/vendor/htmx/htmx.min.a0abb04f2f.js" defer></script>
  <script src="/assets/js/app.263304cf65.js" defer></script>
</head>
<body hx-boost:inherited="true">
  <input type="hidden" id="hd-csrf" value="00000000-0000-0000-0000-000000000000">
  <div id="hd-live" data-events="/events" hidden></div>
  <a class="skip-link" href="#main">Skip to content</a>
  <header class="topbar">
    <a class="brand" href="/">hyperdesk ops</a>
    <nav class="nav" aria-label="Tools">
  <a href="/">Dashboard</a>
  <a href="/orders">Orders</a>
  <a href="/customers">Customers</a>
  <a href="/products" aria-current="page">Products</a>
</nav>
<form class="signout" action="/logout" method="post">
  <input type="hidden" name="_csrf" value="00000000-0000-0000-0000-000000000000">
  <span class="signout__who">viewer@bench.example · viewer</span>
  <button type="submit" class="button button--small">Sign out</button>
</form>

    <span class="loading-bar" aria-hidden="true"></span>
  </header>
  <main id="main" tabindex="-1">
    <div class="flash-region" aria-live="polite">
</div>
{{ end -}}

{{- define "foot" }}
  </main>
  <div class="toasts" id="hd-toasts">
  <div id="hd-toasts-status" role="status" aria-live="polite"></div>
  <div id="hd-toasts-alert" role="alert" aria-live="assertive"></div>
</div>
<div id="hd-announce" class="visually-hidden" role="status" aria-live="polite"></div>

  <dialog id="hd-modal" class="modal" hx-headers:inherited='{"HD-Modal": "true"}'>
  <button type="button" class="button button--small modal__close" data-hd-modal-close aria-label="Close dialog">×</button>
  <div id="hd-modal-body" class="modal__body"></div>
</dialog>

</body>
</html>
{{ end -}}

{{- define "page" -}}
{{ template "head" . }}
<div class="page-head">
  <h1>Products</h1>
</div>
<form class="search" id="products-search" action="/products" method="get" role="search" hx-get="/products" hx-include="[form='products-search']" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">
  <label for="products-search-q" class="visually-hidden">Search products</label>
  <input type="search" id="products-search-q" name="q" value="" placeholder="Search by name or SKU" autocomplete="off" maxlength="200"
    hx-get="/products" hx-trigger="input changed delay:300ms, search" hx-include="[form='products-search']" hx-sync="closest form:replace" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">
  <button type="submit" class="button">Search</button>
</form>

{{ template "rows" . }}


{{ template "foot" . }}
{{- end }}

{{- define "rows" -}}
<div id="products-rows" class="region" hx-get="{{ .SelfURL }}" hx-trigger="revalidate:products from:document" hx-swap="outerMorph">

  <div class="table-wrap">
  <table class="table">
    <thead>
  <tr>
    <th scope="col"><a href="/products?sort=name" hx-get="/products?sort=name" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">Name<span class="sort-mark" aria-hidden="true"></span></a></th>
    <th scope="col"><a href="/products?sort=sku" hx-get="/products?sort=sku" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">SKU<span class="sort-mark" aria-hidden="true"></span></a></th>
    <th scope="col" class="num"><a href="/products?sort=price" hx-get="/products?sort=price" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">Price<span class="sort-mark" aria-hidden="true"></span></a></th>
    <th scope="col" class="num"><a href="/products?sort=stock" hx-get="/products?sort=stock" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">Stock<span class="sort-mark" aria-hidden="true"></span></a></th>
    <th scope="col">Status</th>
    <th scope="col">Actions</th>
  </tr>
</thead>

    <tbody>
      {{- range .Items }}
      <tr id="product-{{ .ID }}">
        <td><a href="/products/{{ .ID }}">{{ .Name }}</a></td>
        <td><code>{{ .SKU }}</code></td>
        <td class="num">{{ price .PriceCents }}</td>
        <td class="num">{{ .Stock }}</td>
        <td>{{ if .Active }}<span class="badge badge--ok">Active</span>{{ else }}<span class="badge">Inactive</span>{{ end }}</td>
        <td class="row-actions">
        </td>
      </tr>
      {{- end }}
    </tbody>
  </table>
  </div>
  <nav class="pagination" aria-label="Pages">
  <span class="pagination__count" data-hd-announce>{{ .Total }}{{ if .More }}+{{ end }} products · {{ .Position }}</span>
  <span class="pagination__off" aria-disabled="true">← Previous</span>
  {{- if .NextURL }}
  <a rel="next" href="{{ .NextURL }}" hx-get="{{ .NextURL }}" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">Next →</a>
  <a href="{{ .LastURL }}" hx-get="{{ .LastURL }}" hx-target="#products-rows" hx-swap="outerHTML" hx-push-url="true">Last »</a>
  {{- end }}
</nav>

  <p class="list-export"><a class="button button--small" href="/products/export.csv" download>Export CSV</a></p>
</div>
{{- end }}

{{- define "show" -}}
{{ template "head" (showTitle .) }}
<div id="product" class="region" hx-get="/products/{{ .ID }}" hx-trigger="revalidate:product:{{ .ID }} from:document" hx-swap="outerMorph">
<div class="page-head">
  <h1>{{ .Name }}</h1>
  <div class="actions">
  </div>
</div>
<dl class="details" id="product-details">
  <dt>SKU</dt><dd><code>{{ .SKU }}</code></dd>
  <dt>Price</dt><dd>{{ price .PriceCents }}</dd>
  <dt>Stock</dt><dd>{{ .Stock }}</dd>
  <dt>Status</dt><dd>{{ if .Active }}Active{{ else }}Inactive{{ end }}</dd>
  <dt>Created</dt><dd><time datetime="{{ iso .CreatedAt }}">{{ when .CreatedAt }}</time></dd>
  <dt>Updated</dt><dd><time datetime="{{ iso .UpdatedAt }}">{{ when .UpdatedAt }}</time></dd>
</dl>
<section class="history" aria-labelledby="history-title">
  <h2 id="history-title">History</h2>
  <p class="history__none">No recorded changes yet.</p>
</section>

</div>
<p><a href="/products">← All products</a></p>


{{ template "foot" . }}
{{- end }}
`
