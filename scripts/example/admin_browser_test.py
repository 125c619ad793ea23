"""Drives the example's admin panel in headless Chromium, as a person would.

create -> key shown once -> reload shows no key -> the key works -> search -> rotate -> revoke (bulk and
single) -> frozen -> delete; custom model: the organization column, filter and choice. A
screenshot of the list page is saved as an artifact.

Usage: admin_browser_test.py BASE_URL ADMIN_PASSWORD ARTIFACTS_DIR
"""
import os
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

base, password, artifacts = sys.argv[1], sys.argv[2], sys.argv[3]
checks = 0


def check(condition, message):
    global checks
    if not condition:
        raise AssertionError(message)
    checks += 1
    print(f"  ok (browser): {message}")


def page_contains(text, timeout=5.0):
    """Whether the page shows `text`, waiting for a navigation that a click started to finish."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in driver.page_source:
            return True
        time.sleep(0.05)
    return False


def wait_url(fragment, timeout=5.0):
    deadline = time.monotonic() + timeout
    while fragment not in driver.current_url and time.monotonic() < deadline:
        time.sleep(0.05)


def api_status(path, key, method="GET"):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Api-Key {key}"}, method=method,
                                     data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def api_headers(path, key):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Api-Key {key}"})
    with urllib.request.urlopen(request) as response:
        return response.status, response.headers


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.implicitly_wait(2)
try:
    # Signing in is the example's own page; the panel itself sits behind it.
    driver.get(base + "/admin/keys")
    check("/login" in driver.current_url, "the panel sends strangers to the sign-in page")
    driver.find_element(By.NAME, "password").send_keys("wrong")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    check(page_contains("not right"), "a wrong password is refused")
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    check(page_contains("Add API key"), "signing in opens the list")

    # Create with an expiry in the past: refused with a message, and the form keeps the name.
    driver.find_element(By.LINK_TEXT, "Add API key").click()
    driver.find_element(By.ID, "name").send_keys("born expired")
    driver.execute_script("arguments[0].value = '2001-01-01T00:00'", driver.find_element(By.ID, "expires"))
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    check(page_contains("has already passed") and driver.find_element(By.ID, "name").get_attribute("value") == "born expired",
          "an expiry in the past is refused with a message, and the name is kept")
    check("has already passed" in driver.find_element(By.ID, "expires-error").text, "the message sits next to the expiry field")

    # Create: the key is shown exactly once.
    driver.get(base + "/admin/keys/new")
    driver.find_element(By.ID, "name").send_keys("browser <b>key</b>")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    banner = driver.find_element(By.CSS_SELECTOR, ".new-key").text
    key = driver.find_element(By.ID, "new-key").text
    check(len(key) == 41 and key[8] == ".", "the new key is shown in its own box")
    value = driver.find_element(By.ID, "new-key")
    check(value.value_of_css_property("user-select") == "all" and "monospace" in value.value_of_css_property("font-family")
          and float(value.value_of_css_property("font-size").rstrip("px")) >= 18, "large, monospace, selected whole in one click")
    copy = driver.find_element(By.CSS_SELECTOR, "button[data-copy=new-key]")
    check(copy.is_displayed(), "the Copy button is shown: the same-origin script ran under the strict Content-Security-Policy")
    copy.click()
    # The clipboard answers asynchronously; where it is closed, the script selects the key.
    deadline, copied = time.monotonic() + 1.5, False
    while not copied and time.monotonic() < deadline:
        copied = copy.text == "Copied" or driver.execute_script("return window.getSelection().toString()") == key
        time.sleep(0.05)
    check(copied, "Copy copies the key (or selects it where the clipboard is closed)")
    driver.save_screenshot(os.path.join(artifacts, "admin-new-key.png"))
    check("Please store it somewhere safe: you will not be able to see it again." in banner, "with upstream's warning")
    check("browser <b>key</b>" in banner, "the name is shown as text, escaped, not as markup")
    check(not driver.find_elements(By.CSS_SELECTOR, "script:not([src])"), "no inline script on the page")
    check(api_status("/api/protected", key) == 200, "the key made in the panel gets 200")
    prefix = key.split(".")[0]
    driver.refresh()
    check(not driver.find_elements(By.ID, "new-key") and key not in driver.page_source, "a reload shows no key")
    driver.get(base + "/admin/keys")
    check(key not in driver.page_source and prefix in driver.page_source, "the list shows the prefix, never the key")

    # A second key, to have something to search past.
    driver.get(base + "/admin/keys/new")
    driver.find_element(By.ID, "name").send_keys("nightly export")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    other_key = driver.find_element(By.ID, "new-key").text

    # Search and filter.
    driver.get(base + "/admin/keys")
    search = driver.find_element(By.NAME, "q")
    search.send_keys("nightly")
    search.submit()
    wait_url("q=nightly")
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    check(len(rows) == 1 and "nightly export" in rows[0].text, "search by name finds only that key")
    driver.get(base + f"/admin/keys?q={prefix}")
    check(prefix in driver.page_source and other_key.split(".")[0] not in driver.page_source, "search by prefix too")

    # Bulk revoke from the list: nothing selected says so; otherwise it asks first, naming the keys.
    driver.get(base + "/admin/keys")
    driver.find_element(By.CSS_SELECTOR, "button[value=revoke]").click()
    check(page_contains("No API keys were selected"), "revoke selected with nothing selected says so")
    driver.find_element(By.CSS_SELECTOR, f"input[value='{other_key.split('.')[0]}']").click()
    driver.find_element(By.CSS_SELECTOR, "button[value=revoke]").click()
    check(page_contains("Revoke 1 API key?") and "nightly export" in driver.page_source and other_key.split(".")[0] in driver.page_source,
          "revoke selected asks first, naming the key")
    check(api_status("/api/protected", other_key) == 200, "asking revokes nothing")
    driver.save_screenshot(os.path.join(artifacts, "admin-revoke-selected.png"))
    driver.find_element(By.XPATH, "//button[text()='Yes, revoke it']").click()
    check(page_contains("Revoked 1 API key."), "revoke selected says what it did")
    check(api_status("/api/protected", other_key) == 401, "a key revoked in bulk gets 401")
    Select(driver.find_element(By.NAME, "status")).select_by_value("revoked")
    driver.find_element(By.CSS_SELECTOR, "form[method=get] button").click()
    wait_url("status=revoked")
    listed = driver.find_element(By.CSS_SELECTOR, "tbody").text
    check("nightly export" in listed and "browser <b>key</b>" not in listed, "the revoked filter shows it, and not the active key")

    # Rotate: it asks first, with how long the old key keeps working; the new key is shown once,
    # and the old one works meanwhile, its responses saying until when.
    driver.get(base + "/admin/keys/new")
    driver.find_element(By.ID, "name").send_keys("rotated partner")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    old_key = driver.find_element(By.ID, "new-key").text
    old_prefix = old_key.split(".")[0]
    driver.get(base + f"/admin/keys/{old_prefix}")
    driver.find_element(By.LINK_TEXT, "Rotate…").click()
    check(page_contains("Rotate API key") and "keeps working for" in driver.page_source, "rotate asks first, with a grace period to choose")
    check(api_headers("/api/protected", old_key)[1].get("Deprecation") is None, "asking changes nothing")
    Select(driver.find_element(By.NAME, "grace")).select_by_value("1h")
    driver.find_element(By.XPATH, "//button[text()='Yes, rotate it']").click()
    check(page_contains("The API key was rotated"), "rotating says what it did")
    new_key = driver.find_element(By.ID, "new-key").text
    new_prefix = new_key.split(".")[0]
    check(len(new_key) == 41 and new_prefix != old_prefix, "the new key is shown once, on its own page")
    check(f"/admin/keys/{old_prefix}" in driver.page_source and "rotated partner" in driver.page_source,
          "the new key keeps the name and links the key it replaces")
    status, headers = api_headers("/api/protected", old_key)
    check(status == 200 and (headers.get("Deprecation") or "").startswith("@") and (headers.get("Sunset") or "").endswith("GMT"),
          "the old key works for its grace period, with Deprecation and Sunset")
    status, headers = api_headers("/api/protected", new_key)
    check(status == 200 and headers.get("Deprecation") is None, "the new key works, without them")
    driver.refresh()
    check(not driver.find_elements(By.ID, "new-key") and new_key not in driver.page_source, "a reload shows no key")
    driver.get(base + f"/admin/keys/{old_prefix}")
    check("Replaced by" in driver.page_source and new_prefix in driver.page_source, "the old key's page names its replacement")
    check(not driver.find_elements(By.LINK_TEXT, "Rotate…"), "a rotated key cannot be rotated again")
    driver.save_screenshot(os.path.join(artifacts, "admin-rotated.png"))

    # The audit trail: the example records every key event; the key's page lists its own, and
    # the list links every key's latest.
    events = driver.find_element(By.CSS_SELECTOR, "section.events").text
    check("rotated" in events and f"replaced by {new_prefix}" in events and "created" in events and "admin" in events,
          "the key's page lists its events: created, then rotated by the admin, naming the new key")
    check(old_key not in driver.page_source and new_key not in driver.page_source, "no event shows a key")
    driver.get(base + "/admin/keys")
    driver.find_element(By.LINK_TEXT, "Recent events").click()
    check(page_contains("Recent events"), "the list links the recent events")
    rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "table.event-table tbody tr")]
    check(len(rows) >= 4 and "rotated" in rows[0] and old_prefix in rows[0] and any("revoked" in row for row in rows),
          "recent events, newest first: the rotation, and the revocations before it")
    driver.save_screenshot(os.path.join(artifacts, "admin-events.png"))

    # Edit, then revoke one key from its page: every field freezes.
    driver.get(base + f"/admin/keys/{prefix}")
    name = driver.find_element(By.ID, "name")
    name.clear()
    name.send_keys("browser key, renamed")
    # Typing into a datetime-local field depends on the browser's locale; set its value directly.
    driver.execute_script("arguments[0].value = '2030-01-31T12:00'", driver.find_element(By.ID, "expires"))
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    check(page_contains("Saved.") and "browser key, renamed" in driver.page_source, "name and expiry can be edited")
    check(driver.find_element(By.ID, "expires").get_attribute("value") in ("2030-01-31T12:00", "2030-01-31T12:00:00"), "the expiry is stored as entered (UTC)")
    # Seconds are accepted; a refused edit keeps what was typed, with the message next to the field.
    driver.execute_script("arguments[0].value = '2031-02-03T04:05:06'", driver.find_element(By.ID, "expires"))
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "name"), "n" * 60)
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    check(page_contains("at most 50 characters") and driver.find_element(By.ID, "name").get_attribute("value") == "n" * 60
          and driver.find_element(By.ID, "expires").get_attribute("value") == "2031-02-03T04:05:06"
          and "at most 50" in driver.find_element(By.ID, "name-error").text,
          "a refused edit keeps the typed name and expiry (to the second), with the message next to the name")
    name = driver.find_element(By.ID, "name")
    name.clear()
    name.send_keys("browser key, renamed")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    check(page_contains("Saved.") and driver.find_element(By.ID, "expires").get_attribute("value") == "2031-02-03T04:05:06",
          "the expiry is stored to the second")
    # Revoke is a link to a question, so the edit form's validation cannot block it.
    driver.find_element(By.ID, "name").clear()
    driver.find_element(By.LINK_TEXT, "Revoke…").click()
    check(page_contains("will be revoked") and "This cannot be undone" in driver.page_source, "revoke asks first, even with the name field emptied")
    driver.find_element(By.XPATH, "//button[text()='Yes, revoke it']").click()
    check(page_contains("The API key was revoked."), "revoke from the key's page")
    check(not driver.find_elements(By.CSS_SELECTOR, "input[type=text], input[type=datetime-local]"), "a revoked key is frozen: no editable field")
    check(not driver.find_elements(By.PARTIAL_LINK_TEXT, "Revoke"), "and nothing can revoke or un-revoke it again")
    check(api_status("/api/protected", key) == 401, "a key revoked in the panel gets 401")

    # A screenshot of the list, for people to look at.
    driver.get(base + "/admin/keys")
    os.makedirs(artifacts, exist_ok=True)
    driver.save_screenshot(os.path.join(artifacts, "admin-list.png"))
    times = driver.find_elements(By.CSS_SELECTOR, "tbody time[title]")
    check(times and all(t.get_attribute("title").endswith(" UTC") for t in times)
          and any(t.text in ("just now", "in under a minute") or t.text.endswith(" ago") for t in times)
          and any(t.text.startswith("in ") and "year" in t.text for t in times),
          "dates are relative (\"2 minutes ago\", \"in 4 years\"), with the exact UTC time on hover")

    # On a phone-sized screen the page does not scroll sideways.
    driver.set_window_size(390, 844)
    for path in ["/admin/keys", f"/admin/keys/{prefix}", "/admin/keys/new", "/admin/keys/events"]:
        driver.get(base + path)
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(overflow <= 0, f"{path} fits a 390 px screen (overflow {overflow} px)")
    driver.get(base + "/admin/keys")
    driver.save_screenshot(os.path.join(artifacts, "admin-list-phone.png"))
    driver.set_window_size(1280, 900)

    # Delete, with confirmation.
    driver.get(base + f"/admin/keys/{prefix}")
    driver.find_element(By.LINK_TEXT, "Delete…").click()
    check(page_contains("will be deleted"), "delete asks first")
    driver.find_element(By.XPATH, "//button[text()='Yes, delete it']").click()
    check(page_contains("The API key was deleted.") and prefix not in driver.page_source, "and then deletes")

    # A form without its CSRF token is refused, on an admin page with a way back.
    driver.execute_script("document.querySelectorAll('input[name=csrf]').forEach(e => e.value = 'forged')")
    driver.find_element(By.CSS_SELECTOR, "button[value=revoke]").click()
    check(page_contains("The form has expired") and driver.find_elements(By.LINK_TEXT, "Back to the API keys"),
          "a forged CSRF token is refused on an admin page, with a way back")
    driver.save_screenshot(os.path.join(artifacts, "admin-csrf-refused.png"))
    # An unknown prefix: an admin page too, not raw text.
    driver.get(base + "/admin/keys/zzzzzzzz")
    check("No such API key" in driver.page_source and driver.find_elements(By.LINK_TEXT, "Back to the API keys"),
          "an unknown prefix is an admin page with a way back")

    # The custom model: keys belong to organizations; an inactive one's keys are refused.
    keys_by_org = {}
    for organization in ["Acme", "Initech"]:
        driver.get(base + "/admin/organization/keys/new")
        driver.find_element(By.ID, "name").send_keys(f"{organization} service")
        Select(driver.find_element(By.ID, "owner")).select_by_visible_text(organization)
        driver.find_element(By.CSS_SELECTOR, "button.primary").click()
        keys_by_org[organization] = driver.find_element(By.ID, "new-key").text
    check(api_status("/api/organization", keys_by_org["Acme"]) == 200, "an active organization's key gets 200")
    check(api_status("/api/organization", keys_by_org["Initech"]) == 401, "an inactive organization's key gets 401")
    driver.get(base + "/admin/organization/keys")
    check("Organization" in driver.page_source and "Initech" in driver.page_source, "the list has an organization column")
    initech = [row for row in driver.find_elements(By.CSS_SELECTOR, "tbody tr") if "Initech" in row.text][0]
    badge = initech.find_element(By.CSS_SELECTOR, ".badge")
    check(badge.text == "Unusable" and badge.get_attribute("title") == "Its organization cannot use API keys.",
          "an inactive organization's key is listed as Unusable, with the reason")
    acme = [row for row in driver.find_elements(By.CSS_SELECTOR, "tbody tr") if "Acme" in row.text][0]
    check(not acme.find_elements(By.CSS_SELECTOR, ".badge"), "an active organization's key is not")
    initech.find_element(By.CSS_SELECTOR, "a").click()
    check(page_contains("Requests with this key are refused: Its organization cannot use API keys."), "its page says so too")
    driver.back()
    Select(driver.find_element(By.NAME, "owner")).select_by_visible_text("Acme")
    driver.find_element(By.CSS_SELECTOR, "form[method=get] button").click()
    wait_url("owner=")
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    check(len(rows) == 1 and "Acme service" in rows[0].text, "and filters by organization")
    driver.save_screenshot(os.path.join(artifacts, "admin-organization-list.png"))

    # Scopes, allowed addresses and metadata; suspend and resume.
    driver.get(base + "/admin/keys/new")
    driver.find_element(By.ID, "name").send_keys("scoped key")
    driver.find_element(By.ID, "scope-reports-read").click()
    driver.find_element(By.ID, "allowed_ips").send_keys("10.0.0.0/33")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    check(page_contains("prefix length that is not 0 to 32") and "10.0.0.0/33" in driver.find_element(By.ID, "allowed_ips").get_attribute("value")
          and driver.find_element(By.ID, "scope-reports-read").is_selected(), "a bad address is refused next to its field; what was typed and ticked is kept")
    allowed = driver.find_element(By.ID, "allowed_ips")
    allowed.clear()
    allowed.send_keys("127.0.0.1\n::1")
    driver.find_element(By.ID, "metadata").send_keys('{"team": "data"}')
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    check(page_contains('id="new-key"'), "a key with scopes, addresses and metadata is made: "
          + "; ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field-error, .banner.error")))
    scoped = driver.find_element(By.ID, "new-key").text
    scoped_prefix = scoped.split(".")[0]
    check(api_status("/api/reports", scoped) == 200 and api_status("/api/reports", scoped, "POST") == 403,
          "a key given reports:read in the panel reads reports and cannot write them")
    check(driver.find_element(By.ID, "scope-reports-read").is_selected() and not driver.find_element(By.ID, "scope-reports-write").is_selected()
          and driver.find_element(By.ID, "allowed_ips").get_attribute("value") == "127.0.0.1\n::1"
          and driver.find_element(By.ID, "metadata").get_attribute("value") == '{"team":"data"}', "its page shows its scopes, addresses and metadata")
    driver.find_element(By.ID, "scope-reports-write").click()
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    check(page_contains("Saved.") and api_status("/api/reports", scoped, "POST") == 201, "ticking reports:write and saving lets it write")
    driver.find_element(By.XPATH, "//button[text()='Suspend']").click()
    check(page_contains("was suspended") and driver.find_element(By.CSS_SELECTOR, "h1 .badge").text == "Suspended", "suspend from the key's page")
    check(api_status("/api/reports", scoped) == 401, "a suspended key gets 401")
    driver.find_element(By.XPATH, "//button[text()='Resume']").click()
    check(page_contains("was resumed") and api_status("/api/reports", scoped) == 200, "resume: 200 again")

    driver.get(base + "/admin/keys?scope=reports:write")
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    check(len(rows) == 1 and scoped_prefix in rows[0].text and "reports:read reports:write" in rows[0].text, "the scopes column and filter")
    rows[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    driver.find_element(By.XPATH, "//button[contains(text(), 'Suspend selected')]").click()
    check(page_contains("Suspend 1 API key?") and api_status("/api/reports", scoped) == 200, "suspend selected asks first, and changes nothing yet")
    driver.find_element(By.XPATH, "//button[text()='Yes, suspend it']").click()
    check(page_contains("Suspended 1 API key.") and api_status("/api/reports", scoped) == 401, "then suspends")
    Select(driver.find_element(By.NAME, "status")).select_by_visible_text("Suspended")
    driver.find_element(By.CSS_SELECTOR, "form[method=get] button").click()
    wait_url("status=suspended")
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    check(len(rows) == 1 and "Suspended" in rows[0].text, "the Suspended filter and badge")
    rows[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    driver.find_element(By.XPATH, "//button[contains(text(), 'Resume selected')]").click()
    driver.find_element(By.XPATH, "//button[text()='Yes, resume it']").click()
    check(page_contains("Resumed 1 API key.") and api_status("/api/reports", scoped) == 200, "resume selected, after the question")
    driver.save_screenshot(os.path.join(artifacts, "admin-scopes.png"))
finally:
    driver.quit()

print(f"Browser: all {checks} checks passed")
