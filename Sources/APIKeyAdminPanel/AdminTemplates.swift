import Foundation
import LeafKit
import NIOCore

/// The admin panel's Leaf templates, compiled into the library so that apps ship no files.
/// Every `#(value)` is HTML-escaped by LeafKit. Colours are `rgb()`: a `#` would start a tag.
enum AdminTemplates {
    /// The templates, parsed once for every request of every panel. `nonisolated(unsafe)`:
    /// LeafKit's cache guards its entries with a lock of its own, and its one unguarded setting
    /// (`isEnabled`) is never written.
    nonisolated(unsafe) static let cache = DefaultLeafCache()

    static let all: [String: String] = [
        "base": base, "list": list, "new": new, "detail": detail, "confirm": confirm, "rotate": rotate, "message": message,
        "bulkAction": bulkAction, "accessFields": accessFields, "usageChart": usageChart, "events": events, "eventTable": eventTable,
    ]

    static let base = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>#(pageTitle) · #(title)</title>
        <style>
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: rgb(31, 35, 40); background: rgb(246, 248, 250); }
        header { background: rgb(36, 41, 47); padding: 10px 24px; display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; color: rgb(208, 215, 222); }
        header nav { display: flex; flex-wrap: wrap; gap: 4px 16px; flex: 1; }
        header a { color: rgb(208, 215, 222); text-decoration: none; font-weight: 600; padding: 2px 0; }
        header a[aria-current=page] { color: white; border-bottom: 2px solid white; }
        header button { background: transparent; color: white; border-color: rgb(110, 118, 129); padding: 3px 10px; }
        main { max-width: 1080px; margin: 24px auto; padding: 0 24px; }
        h1 { font-size: 22px; margin: 0 0 16px; }
        table { width: 100%; border-collapse: collapse; background: white; border: 1px solid rgb(208, 215, 222); }
        th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid rgb(216, 222, 228); }
        th { background: rgb(246, 248, 250); font-weight: 600; }
        code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; }
        .toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 12px; }
        .toolbar .grow { flex: 1; }
        input[type=text], input[type=search], input[type=datetime-local], select, textarea { padding: 6px 8px; border: 1px solid rgb(208, 215, 222); border-radius: 6px; font: inherit; }
        button, .button { padding: 6px 12px; border: 1px solid rgb(208, 215, 222); border-radius: 6px; background: white; font: inherit; cursor: pointer; color: inherit; text-decoration: none; display: inline-block; }
        .primary { background: rgb(31, 136, 61); border-color: rgb(26, 127, 55); color: white; }
        .danger { color: rgb(207, 34, 46); }
        .banner { padding: 12px 16px; border-radius: 6px; margin-bottom: 16px; border: 1px solid; }
        .warning { background: rgb(255, 248, 197); border-color: rgb(212, 167, 44); }
        .notice { background: rgb(221, 244, 255); border-color: rgb(84, 174, 255); }
        .error { background: rgb(255, 235, 233); border-color: rgb(255, 129, 130); }
        .badge { padding: 1px 8px; border-radius: 10px; font-size: 12px; border: 1px solid; }
        .active { color: rgb(26, 127, 55); } .revoked { color: rgb(207, 34, 46); } .expired { color: rgb(154, 103, 0); } .suspended { color: rgb(130, 80, 223); }
        textarea { width: 100%; box-sizing: border-box; font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; }
        fieldset.scopes { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        form.inline { display: inline; }
        dl { display: grid; grid-template-columns: 160px 1fr; gap: 8px 16px; background: white; border: 1px solid rgb(208, 215, 222); padding: 16px; border-radius: 6px; }
        dt { font-weight: 600; }
        .pages { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
        .muted { color: rgb(101, 109, 118); }
        .table-scroll { overflow-x: auto; }
        .field-error { color: rgb(207, 34, 46); margin-top: 4px; }
        .invalid { border-color: rgb(207, 34, 46) !important; }
        .events { margin-top: 24px; overflow-x: auto; } .events h2 { font-size: 17px; margin: 0 0 8px; }
        .usage { margin-top: 24px; } .usage h2 { font-size: 17px; margin: 0 0 8px; }
        .usage-chart { background: white; border: 1px solid rgb(208, 215, 222); border-radius: 6px; display: block; }
        .usage-granted { fill: rgb(45, 164, 78); } .usage-refused { fill: rgb(207, 34, 46); }
        .usage-axis { stroke: rgb(208, 215, 222); } .usage-scale { font-size: 10px; fill: rgb(101, 109, 118); }
        .usage-days { display: flex; justify-content: space-between; gap: 8px; flex-wrap: wrap; font-size: 13px; margin-top: 4px; }
        th a { color: inherit; }
        .new-key { background: rgb(255, 248, 197); border: 1px solid rgb(212, 167, 44); border-radius: 6px; padding: 16px; margin-bottom: 16px; }
        .new-key h2 { font-size: 17px; margin: 0 0 8px; }
        .key-row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
        .key-value { font: 20px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: white; border: 1px solid rgb(208, 215, 222); border-radius: 6px; padding: 8px 12px; user-select: all; -webkit-user-select: all; word-break: break-all; flex: 1; min-width: 0; }
        time[title] { text-decoration: underline dotted rgb(140, 149, 159); cursor: help; }
        @media (max-width: 640px) {
          main { padding: 0 12px; margin: 16px auto; }
          header { padding: 10px 12px; }
          dl { grid-template-columns: 1fr; gap: 4px; }
          dd { margin: 0 0 8px; }
          th, td { padding: 6px; }
          .hide-narrow { display: none; }
          input[type=text], input[type=datetime-local] { width: 100%; box-sizing: border-box; }
        }
        </style>
        </head>
        <body>
        <header>
          <nav aria-label="Sections">#for(link in sections):<a href="#(link.path)"#if(link.current): aria-current="page"#endif>#(link.title)</a>#endfor</nav>
          #if(hasUser):<span>Signed in as <strong>#(user)</strong></span>#endif
          #if(hasSignOut):<form method="post" action="#(signOutPath)" class="inline"><input type="hidden" name="csrf" value="#(csrf)"><button type="submit">Sign out</button></form>#endif
        </header>
        <main>
        #if(hasNotice):<div class="banner notice" role="status">#(notice)</div>#endif
        #if(hasError):<div class="banner error" role="alert">#(error)</div>#endif
        #import("body")
        </main>
        </body>
        </html>
        """

    static let message = """
        #extend("base"):#export("body"):
        <h1>#(heading)</h1>
        <div class="banner error" role="alert">#(message)</div>
        <p><a class="button" href="#(root)/keys">Back to the API keys</a></p>
        #endexport#endextend
        """

    static let list = """
        #extend("base"):#export("body"):
        <div class="toolbar">
          <h1 class="grow">#(title)</h1>
          #if(showsEvents):<a class="button" href="#(root)/keys/events">Recent events</a>#endif
          <a class="button primary" href="#(root)/keys/new">Add API key</a>
        </div>
        <form method="get" action="#(root)/keys" class="toolbar">
          <input type="search" name="q" value="#(q)" placeholder="Search name or prefix" aria-label="Search">
          <select name="status" aria-label="Status">
            #for(option in statuses):<option value="#(option.value)"#if(option.selected): selected#endif>#(option.label)</option>#endfor
          </select>
          #if(hasScopes):<select name="scope" aria-label="Scope"><option value="">Every scope</option>
            #for(option in scopeFilters):<option value="#(option.value)"#if(option.selected): selected#endif>#(option.label)</option>#endfor
          </select>#endif
          #if(hasOwner):<select name="owner" aria-label="#(ownerTitle)"><option value="">Every #(ownerTitle)</option>
            #for(option in owners):<option value="#(option.value)"#if(option.selected): selected#endif>#(option.label)</option>#endfor
          </select>#endif
          #if(hasUsage):<select name="idle" aria-label="Use">
            #for(option in idleFilters):<option value="#(option.value)"#if(option.selected): selected#endif>#(option.label)</option>#endfor
          </select>#endif
          <input type="hidden" name="sort" value="#(sort)">
          <button type="submit">Filter</button>
        </form>
        <form method="post" action="#(root)/keys/revoke">
        <input type="hidden" name="csrf" value="#(csrf)">
        <div class="table-scroll">
        <table>
          <thead><tr><th></th><th>Prefix</th><th>Name</th>#if(hasOwner):<th>#(ownerTitle)</th>#endif#if(hasAccess):<th>Scopes</th>#endif<th>Created</th><th>Expires</th>#if(hasUsage):<th aria-sort="#(lastUsedSort)"><a href="#(lastUsedSortLink)" title="Sort by last use">Last used#(lastUsedArrow)</a></th>#endif<th class="hide-narrow">Has expired</th><th>Revoked</th></tr></thead>
          <tbody>
          #for(key in keys):
            <tr>
              <td>#if(key.revoked):#else:<input type="checkbox" name="prefixes[]" value="#(key.prefix)" aria-label="Select #(key.prefix)">#endif</td>
              <td><a href="#(root)/keys/#(key.prefix)"><code>#(key.prefix)</code></a></td>
              <td>#(key.name)#if(key.unusable): <span class="badge expired" title="#(key.unusableReason)">Unusable</span>#endif#if(key.suspended): <span class="badge suspended">Suspended</span>#endif</td>
              #if(hasOwner):<td>#(key.owner)</td>#endif
              #if(hasAccess):<td>#if(key.scopes == ""):<span class="muted">none</span>#else:<code>#(key.scopes)</code>#endif</td>#endif
              <td><time datetime="#(key.createdISO)" title="#(key.createdExact)">#(key.createdRelative)</time></td>
              <td>#if(key.expiresISO == ""):never#else:<time datetime="#(key.expiresISO)" title="#(key.expiresExact)">#(key.expiresRelative)</time>#endif</td>
              #if(hasUsage):<td>#if(key.lastUsedISO == ""):<span class="muted">never</span>#else:<time datetime="#(key.lastUsedISO)" title="#(key.lastUsedExact)">#(key.lastUsedRelative)</time>#endif</td>#endif
              <td class="hide-narrow">#if(key.hasExpired):<span class="expired">Yes</span>#else:No#endif</td>
              <td>#if(key.revoked):<span class="revoked">Yes</span>#else:No#endif</td>
            </tr>
          #endfor
          #if(empty):<tr><td colspan="10" class="muted">No API keys match.</td></tr>#endif
          </tbody>
        </table>
        </div>
        <div class="pages">
          <button type="submit" class="danger" name="action" value="revoke">Revoke selected…</button>
          #if(hasAccess):<button type="submit" formaction="#(root)/keys/suspend">Suspend selected…</button>
          <button type="submit" formaction="#(root)/keys/resume">Resume selected…</button>#endif
          <span class="grow"></span>
          #if(hasPrevious):<a class="button" href="#(previousPage)">Previous</a>#endif
          <span class="muted">Page #(page) of #(pageCount) · #(totalText)</span>
          #if(hasNext):<a class="button" href="#(nextPage)">Next</a>#endif
        </div>
        </form>
        #endexport#endextend
        """

    static let new = """
        #extend("base"):#export("body"):
        <h1>Add API key</h1>
        <form method="post" action="#(root)/keys">
          <input type="hidden" name="csrf" value="#(csrf)">
          <dl>
            <dt><label for="name">Name</label></dt>
            <dd><input type="text" id="name" name="name" value="#(name)" maxlength="50" required#if(hasNameError): class="invalid" aria-invalid="true" aria-describedby="name-error"#endif>
              #if(hasNameError):<div class="field-error" id="name-error" role="alert">#(nameError)</div>#endif
              <div class="muted">A free-form name for the API key. Need not be unique. 50 characters max.</div></dd>
            <dt><label for="expires">Expires (UTC)</label></dt>
            <dd><input type="datetime-local" id="expires" name="expires" value="#(expires)" step="1"#if(hasExpiresError): class="invalid" aria-invalid="true" aria-describedby="expires-error"#endif>
              #if(hasExpiresError):<div class="field-error" id="expires-error" role="alert">#(expiresError)</div>#endif
              <div class="muted">In UTC, to the second, e.g. 2027-01-31 12:00:00. Once the API key expires, clients cannot use it anymore. #(lifetimeHint)</div></dd>
            #if(hasOwner):<dt><label for="owner">#(ownerTitle)</label></dt>
            <dd><select id="owner" name="owner" required>#for(option in owners):<option value="#(option.value)"#if(option.selected): selected#endif>#(option.label)</option>#endfor</select>
              #if(hasOwnerError):<div class="field-error" role="alert">#(ownerError)</div>#endif</dd>#endif
            #if(hasAccess):#extend("accessFields")#endif
            <dt><label for="revoked">Revoked</label></dt>
            <dd><input type="checkbox" id="revoked" name="revoked" value="on">
              <div class="muted">If the API key is revoked, clients cannot use it anymore. (This cannot be undone.)</div></dd>
          </dl>
          <p><button type="submit" class="primary">Save</button> <a class="button" href="#(root)/keys">Cancel</a></p>
        </form>
        #endexport#endextend
        """

    static let detail = """
        #extend("base"):#export("body"):
        #if(hasNewKey):<section class="new-key" role="alert" aria-labelledby="new-key-title">
          <h2 id="new-key-title">The API key for #(key.name)</h2>
          <div class="key-row"><code id="new-key" class="key-value">#(newKey)</code><button type="button" data-copy="new-key" hidden>Copy</button></div>
          <p><strong>Please store it somewhere safe: you will not be able to see it again.</strong> One click selects all of it.</p>
        </section>
        <script src="#(root)/keys/_assets/admin.js"></script>#endif
        <h1>API key <code>#(key.prefix)</code> #if(key.revoked):<span class="badge revoked">Revoked</span>#elseif(key.hasExpired):<span class="badge expired">Expired</span>#elseif(key.suspended):<span class="badge suspended">Suspended</span>#elseif(key.unusable):<span class="badge expired">Unusable</span>#else:<span class="badge active">Active</span>#endif</h1>
        #if(key.unusable):<div class="banner warning" role="status">Requests with this key are refused: #(key.unusableReason)</div>#endif
        <form method="post" action="#(root)/keys/#(key.prefix)">
          <input type="hidden" name="csrf" value="#(csrf)">
          <dl>
            <dt>Prefix</dt><dd><code>#(key.prefix)</code></dd>
            #if(hasOwner):<dt>#(ownerTitle)</dt><dd>#(key.owner)</dd>#endif
            <dt>Created</dt><dd>#(key.createdExact) <span class="muted">(#(key.createdRelative))</span></dd>
            <dt><label for="name">Name</label></dt>
            <dd>#if(key.revoked):#(key.name)#else:<input type="text" id="name" name="name" value="#(formName)" maxlength="50" required#if(hasNameError): class="invalid" aria-invalid="true" aria-describedby="name-error"#endif>
              #if(hasNameError):<div class="field-error" id="name-error" role="alert">#(nameError)</div>#endif#endif</dd>
            <dt><label for="expires">Expires (UTC)</label></dt>
            <dd>#if(key.revoked):#(key.expiresExact)#else:<input type="datetime-local" id="expires" name="expires" value="#(formExpires)" step="1"#if(hasExpiresError): class="invalid" aria-invalid="true" aria-describedby="expires-error"#endif>
              #if(hasExpiresError):<div class="field-error" id="expires-error" role="alert">#(expiresError)</div>#endif
              <div class="muted">In UTC, to the second. Leave empty for never.</div>#endif</dd>
            #if(hasAccess):#if(key.revoked):<dt>Scopes</dt><dd>#if(key.scopes == ""):none#else:<code>#(key.scopes)</code>#endif</dd>
            <dt>Allowed IPs</dt><dd>#(key.allowedIPs)</dd>
            <dt>Metadata</dt><dd>#if(key.metadata == ""):none#else:<code>#(key.metadata)</code>#endif</dd>
            #if(hasRateLimit):<dt>Rate limit</dt><dd>#if(formRateLimit == ""):the app's default (#(defaultRateLimit))#else:#(formRateLimit)#endif</dd>#endif#else:#extend("accessFields")#endif
            <dt>Suspended</dt><dd>#if(key.suspended):Yes: clients using it are refused until it is resumed.#else:No#endif</dd>#endif
            <dt>Revoked</dt><dd>#if(key.revoked):Yes. This cannot be undone.#else:No#endif</dd>
            #if(key.isReplacement):<dt>Replaces</dt><dd><a href="#(root)/keys/#(key.rotatedFrom)"><code>#(key.rotatedFrom)</code></a></dd>#endif
            #if(key.isReplaced):<dt>Replaced by</dt><dd><a href="#(root)/keys/#(key.replacedBy)"><code>#(key.replacedBy)</code></a>: this key works until #(key.expiresExact), and its responses say so (Deprecation, Sunset).</dd>#endif
            #if(hasUsage):<dt>Last used</dt><dd>#if(key.lastUsedISO == ""):never (as last written)#else:#(key.lastUsedExact) <span class="muted">(#(key.lastUsedRelative))</span>#endif</dd>#endif
          </dl>
          <p>
          #if(key.revoked):#else:<button type="submit" class="primary">Save</button>
            #if(hasAccess):#if(key.suspended):<button type="submit" formaction="#(root)/keys/#(key.prefix)/resume">Resume</button>#else:<button type="submit" formaction="#(root)/keys/#(key.prefix)/suspend">Suspend</button>#endif#endif
            #if(key.canRotate):<a class="button" href="#(root)/keys/#(key.prefix)/rotate">Rotate…</a>#endif
            <a class="button danger" href="#(root)/keys/#(key.prefix)/revoke">Revoke…</a>#endif
            <a class="button danger" href="#(root)/keys/#(key.prefix)/delete">Delete…</a>
            <a class="button" href="#(root)/keys">Back to the list</a>
          </p>
        </form>
        #if(hasUsage):#extend("usageChart")#endif
        #if(hasEvents):<section class="events" aria-labelledby="events-title"><h2 id="events-title">Events</h2>
        #if(hasAnyEvent):#extend("eventTable")#else:<p class="muted">None recorded yet.</p>#endif</section>#endif
        #endexport#endextend
        """

    /// Every key's latest events: the audit list.
    static let events = """
        #extend("base"):#export("body"):
        <div class="toolbar"><h1 class="grow">Recent events</h1><a class="button" href="#(root)/keys">Back to the list</a></div>
        <div class="events">#if(hasAnyEvent):#extend("eventTable")#else:<p class="muted">No event is recorded yet.</p>#endif</div>
        #endexport#endextend
        """

    /// A table of events, newest first.
    static let eventTable = """
        <table class="event-table">
          <thead><tr><th>When</th><th>Event</th><th>Key</th><th>Details</th><th>By</th></tr></thead>
          <tbody>
          #for(event in events):<tr>
            <td><time datetime="#(event.atISO)" title="#(event.atExact)">#(event.atRelative)</time></td>
            <td>#(event.kind)</td>
            <td><a href="#(root)/keys/#(event.prefix)"><code>#(event.prefix)</code></a>#if(event.name != ""): #(event.name)#endif</td>
            <td>#(event.detail)</td>
            <td>#(event.source)</td>
          </tr>#endfor
          </tbody>
        </table>
        """

    /// The question before rotating a key: how long the old one keeps working.
    static let rotate = """
        #extend("base"):#export("body"):
        <h1>Rotate API key <code>#(key.prefix)</code>?</h1>
        <p>A new key replaces “#(key.name)”, with the same name, scopes, allowed addresses, metadata and rate limit.
        It is shown once, on the next page. Give it to the key's clients; requests with the old key are answered with
        Deprecation and Sunset fields until it stops working.</p>
        <form method="post" action="#(root)/keys/#(key.prefix)/rotate">
          <input type="hidden" name="csrf" value="#(csrf)">
          <p><label for="grace">The old key keeps working for</label>
          <select id="grace" name="grace">#for(grace in graces):<option value="#(grace.value)"#if(grace.selected): selected#endif>#(grace.label)</option>#endfor</select></p>
          <button type="submit" class="primary">Yes, rotate it</button>
          <a class="button" href="#(root)/keys/#(key.prefix)">No, keep it</a>
        </form>
        #endexport#endextend
        """

    /// The question before revoking or deleting one key: `action` is `revoke` or `delete`.
    static let confirm = """
        #extend("base"):#export("body"):
        <h1>#(verb) API key <code>#(key.prefix)</code>?</h1>
        <p>“#(key.name)” will be #(past). Clients using it will be refused. #(consequence)</p>
        <form method="post" action="#(root)/keys/#(key.prefix)/#(action)">
          <input type="hidden" name="csrf" value="#(csrf)">
          <button type="submit" class="danger">Yes, #(action) it</button>
          <a class="button" href="#(root)/keys/#(key.prefix)">No, keep it</a>
        </form>
        #endexport#endextend
        """
}

extension AdminTemplates {
    /// Scopes, allowed addresses and metadata: the same fields on the new-key form and a key's page.
    static let accessFields = """
        <dt>Scopes</dt>
        <dd>#if(hasScopes):<fieldset class="scopes" aria-label="Scopes">#for(scope in scopeChoices):<label><input type="checkbox" name="scopes[]" value="#(scope.value)" id="#(scope.id)"#if(scope.checked): checked#endif> <code>#(scope.value)</code></label>#endfor</fieldset>#else:<span class="muted">This app declares no scopes.</span>#endif
          #if(hasUndeclaredScopes):<div class="banner warning" role="status">Also stored: #(undeclaredScopes). The app does not declare them, so they grant nothing; saving drops them.</div>#endif
          #if(hasScopesError):<div class="field-error" id="scopes-error" role="alert">#(scopesError)</div>#endif
          <div class="muted">What the key may do. A route that requires a scope the key does not hold answers 403.</div></dd>
        <dt><label for="allowed_ips">Allowed IPs</label></dt>
        <dd><textarea id="allowed_ips" name="allowed_ips" rows="3"#if(hasAllowedIPsError): class="invalid" aria-invalid="true" aria-describedby="allowed_ips-error"#endif>#(formAllowedIPs)</textarea>
          #if(hasAllowedIPsError):<div class="field-error" id="allowed_ips-error" role="alert">#(allowedIPsError)</div>#endif
          <div class="muted">One address (203.0.113.7, 2001:db8::7) or CIDR range (203.0.113.0/24, 2001:db8::/32) per line. Empty: any address.</div></dd>
        <dt><label for="metadata">Metadata</label></dt>
        <dd><textarea id="metadata" name="metadata" rows="3"#if(hasMetadataError): class="invalid" aria-invalid="true" aria-describedby="metadata-error"#endif>#(formMetadata)</textarea>
          #if(hasMetadataError):<div class="field-error" id="metadata-error" role="alert">#(metadataError)</div>#endif
          <div class="muted">A JSON object of at most 4 KiB for the app's own use, e.g. {"customer": "cus_123"}. Nothing secret: it is shown here. Empty: none.</div></dd>
        #if(hasRateLimit):<dt><label for="rate_limit">Rate limit</label></dt>
        <dd><input type="text" id="rate_limit" name="rate_limit" value="#(formRateLimit)" maxlength="40" placeholder="#(defaultRateLimit)"#if(hasRateLimitError): class="invalid" aria-invalid="true" aria-describedby="rate_limit-error"#endif>
          #if(hasRateLimitError):<div class="field-error" id="rate_limit-error" role="alert">#(rateLimitError)</div>#endif
          <div class="muted">Requests per second, minute or hour: 100/min, 10/s, 5000/hour, optionally with a burst: 100/min burst 20. Empty: the app's default (#(defaultRateLimit)). Over it, requests get 429.</div></dd>#endif
        """

    /// The question before revoking, suspending or resuming the keys ticked in the list.
    static let bulkAction = """
        #extend("base"):#export("body"):
        <h1>#(heading)</h1>
        <p>#(lead)</p>
        <form method="post" action="#(root)/keys/#(action)">
          <input type="hidden" name="csrf" value="#(csrf)">
          <input type="hidden" name="confirm" value="yes">
          <ul>
          #for(key in keys):<li><code>#(key.prefix)</code> “#(key.name)”<input type="hidden" name="prefixes[]" value="#(key.prefix)"></li>#endfor
          </ul>
          <button type="submit"#if(danger): class="danger"#endif>#(confirm)</button>
          <a class="button" href="#(root)/keys">No, go back</a>
        </form>
        #endexport#endextend
        """
}

/// Templates compiled into the library.
struct EmbeddedTemplates: LeafSource {
    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        let name = template.split(separator: "/").last.map { String($0).replacingOccurrences(of: ".leaf", with: "") } ?? template
        guard let text = AdminTemplates.all[name] else { return eventLoop.makeFailedFuture(LeafError(.noTemplateExists(template))) }
        return eventLoop.makeSucceededFuture(ByteBuffer(string: text))
    }
}
