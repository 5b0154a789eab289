"""Runs notebooks through the classic Jupyter Notebook UI in headless Chromium and checks what a reader would see.

Called by .ci/checks/notebooks-browser.sh with the server's URL and token. For each notebook: open it, wait for its
kernel, Cell > Run All, wait until no cell runs, fail on an error output outside cells tagged raises-exception (and on
a tagged cell that did not fail, or a code cell that did not run), check every figure (div.hfb-figure, the kernel's
published form of an SVG output) shows an inline SVG with a non-zero rendered size, take a full-page screenshot and
save the notebook from the UI. Then export one executed notebook with nbconvert to HTML (as is, and sanitized, where
lxml's clean_html strips SVG and the kernel's PNG twin must show), open both in Chromium and check every figure is
shown exactly once and non-empty; export it to LaTeX (every figure an image; a PDF too where xelatex exists).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000"]


def browser(user_data_dir):
    options = Options()
    for flag in FLAGS + [f"--user-data-dir={user_data_dir}"]:
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def wait_for(driver, script, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if driver.execute_script(script):
                return
        except Exception:  # the page may still be loading its scripts
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} (waited {timeout} s)")


def full_page_screenshot(driver, path):
    height = min(int(driver.execute_script(
        "return Math.max(document.body.scrollHeight, (document.getElementById('notebook') || document.body).scrollHeight)")) + 100, 16000)
    driver.set_window_size(1280, max(height, 800))
    time.sleep(0.5)
    driver.save_screenshot(path)
    driver.set_window_size(1280, 1000)


FIGURES_LIVE = """
const figures = Array.from(document.querySelectorAll('div.hfb-figure'));
return figures.map(f => {
  const svg = f.querySelector(':scope > svg'); const img = f.querySelector(':scope > img');
  const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {svgWidth: r.width, svgHeight: r.height, svgElements: svg ? svg.querySelectorAll('*').length : 0,
          imgShown: !!(img && img.offsetParent !== null)};
});
"""

CELL_STATE = """
return Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map((c, i) => ({
  index: i, count: c.input_prompt_number === undefined ? null : c.input_prompt_number,
  running: c.element.hasClass('running'), tags: (c.metadata.tags || []),
  first: c.get_text().split('\\n')[0],
  errors: c.output_area.outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)
}));
"""


def run_notebook(driver, url, token, name, shots):
    driver.get(f"{url}/notebooks/{name}?token={token}")
    wait_for(driver, "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())",
             240, f"{name}: the kernel did not connect")
    kernel = driver.execute_script("return Jupyter.notebook.kernel.name")
    started = time.time()
    driver.find_element(By.ID, "celllink").click()
    driver.find_element(By.ID, "run_all_cells").click()
    wait_for(driver, "return Jupyter.notebook.get_cells().some(c => c.cell_type === 'code' && (c.element.hasClass('running') || c.input_prompt_number))",
             60, f"{name}: Run All did not start")
    wait_for(driver, "return !Jupyter.notebook.get_cells().some(c => c.element.hasClass('running'))", 1500, f"{name}: cells still running")
    time.sleep(1)  # late display updates
    seconds = time.time() - started
    cells = driver.execute_script(CELL_STATE)
    problems = []
    for c in cells:
        expected = "raises-exception" in c["tags"]
        if c["errors"] and not expected:
            problems.append(f"code cell {c['index'] + 1} ({c['first']}): {'; '.join(c['errors'])}")
        if expected and not c["errors"]:
            problems.append(f"code cell {c['index'] + 1} ({c['first']}) is tagged raises-exception but did not fail")
        if c["count"] in (None, "*"):
            problems.append(f"code cell {c['index'] + 1} ({c['first']}) did not run")
    figures = driver.execute_script(FIGURES_LIVE)
    for i, f in enumerate(figures):
        if f["svgWidth"] <= 0 or f["svgHeight"] <= 0 or f["svgElements"] < 3:
            problems.append(f"figure {i + 1}: inline SVG not rendered ({f})")
        if f["imgShown"]:
            problems.append(f"figure {i + 1}: the export PNG is visible in the live notebook")
    shot = os.path.join(shots, name.replace("/", "_").replace(".ipynb", ".png"))
    full_page_screenshot(driver, shot)
    driver.execute_async_script("const done = arguments[arguments.length - 1]; Jupyter.notebook.save_notebook().then(() => done(true), () => done(false));")
    print(f"{name}: kernel {kernel}, {len(cells)} code cells in {seconds:.0f} s, {len(figures)} figure(s) "
          f"{['%.0fx%.0f' % (f['svgWidth'], f['svgHeight']) for f in figures]}; screenshot {shot}")
    return problems, len(figures)


EXPORT_FIGURES = """
return Array.from(document.querySelectorAll('div.hfb-figure')).map(f => {
  const img = f.querySelector(':scope > img'); const svg = f.querySelector(':scope > svg');
  const shown = e => !!(e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0);
  const r = e => e ? e.getBoundingClientRect() : {width: 0, height: 0};
  return {svgShown: shown(svg), svgElements: svg ? svg.querySelectorAll('*').length : 0, svgWidth: r(svg).width, svgHeight: r(svg).height,
          imgShown: shown(img), naturalWidth: img ? img.naturalWidth : 0, imgWidth: r(img).width, imgHeight: r(img).height};
});
"""


def export_html(driver, root, name, out, shots, sanitized):
    """nbconvert's HTML export (optionally with sanitize_html, which runs lxml's clean_html over HTML outputs), opened in Chromium."""
    label = "sanitized-" if sanitized else ""
    args = ["jupyter", "nbconvert", "--to", "html", "--output-dir", out, "--output", label + os.path.splitext(os.path.basename(name))[0]]
    if sanitized:
        args.append("--HTMLExporter.sanitize_html=True")
    subprocess.run(args + [os.path.join(root, name)], check=True)
    driver.get("file://" + os.path.join(out, label + os.path.splitext(os.path.basename(name))[0] + ".html"))
    time.sleep(1)
    figures = driver.execute_script(EXPORT_FIGURES)
    problems = []
    if not figures:
        problems.append(f"{label}HTML export of {name}: no figure")
    for i, f in enumerate(figures):
        vector = f["svgShown"] and f["svgElements"] >= 3
        raster = f["imgShown"] and f["naturalWidth"] > 0
        if not (vector or raster) or (vector and raster):
            problems.append(f"{label}HTML export of {name}: figure {i + 1} is not shown exactly once ({f})")
        if sanitized and not raster:
            problems.append(f"{label}HTML export of {name}: figure {i + 1}: the PNG fallback is not shown ({f})")
    shot = os.path.join(shots, f"export-{label}" + os.path.basename(name).replace(".ipynb", ".png"))
    full_page_screenshot(driver, shot)
    sizes = ["%s %.0fx%.0f" % (("SVG", f["svgWidth"], f["svgHeight"]) if f["svgShown"] else ("PNG", f["imgWidth"], f["imgHeight"])) for f in figures]
    print(f"nbconvert {label}HTML export of {name}: {len(figures)} figure(s) rendered non-empty: {sizes}; screenshot {shot}")
    return problems, len(figures)


def check_export(driver, root, name, work, shots):
    out = os.path.join(work, "export")
    os.makedirs(out, exist_ok=True)
    problems, count = export_html(driver, root, name, out, shots, sanitized=False)
    more, _ = export_html(driver, root, name, out, shots, sanitized=True)
    problems += more

    # The LaTeX (PDF) exporter prefers image/png: every figure must reach the .tex as an image (and it must not need
    # Inkscape, which it would for image/svg+xml outputs).
    subprocess.run(["jupyter", "nbconvert", "--to", "latex", "--output-dir", out, os.path.join(root, name)], check=True)
    tex = open(os.path.join(out, os.path.splitext(os.path.basename(name))[0] + ".tex")).read()
    images = tex.count("\\adjustimage{")  # nbconvert draws every image output with \adjustimage{max size=…}{file}
    print(f"nbconvert LaTeX export of {name}: {images} image(s) for {count} figure(s)")
    if images < count:
        problems.append(f"LaTeX export of {name}: {images} images for {count} figures")
    if shutil.which("xelatex"):
        subprocess.run(["jupyter", "nbconvert", "--to", "pdf", "--output-dir", out, os.path.join(root, name)], check=True)
        print(f"nbconvert PDF export of {name}: {os.path.getsize(os.path.join(out, os.path.splitext(os.path.basename(name))[0] + '.pdf'))} bytes")
    else:
        print("no xelatex: PDF export not tried (the LaTeX check above covers what it would include)")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--export", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--min-figures", default="01-features.ipynb=5")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    minimum = dict((k, int(v)) for k, v in (item.split("=") for item in args.min_figures.split(",")))

    driver = browser(os.path.join(args.work, "chromium-profile"))
    problems = []
    try:
        wait_for(driver, "return true", 5, "browser")
        deadline = time.time() + 120
        while True:
            try:
                driver.get(f"{args.url}/tree?token={args.token}")
                if "Jupyter" in driver.title or driver.find_elements(By.ID, "notebook_list"):
                    break
            except Exception:
                pass
            if time.time() > deadline:
                raise TimeoutError("the notebook server did not answer within 120 s")
            time.sleep(1)
        for name in args.notebooks:
            found, figures = run_notebook(driver, args.url, args.token, name, args.screenshots)
            if figures < minimum.get(name, 0):
                found.append(f"{figures} figure(s), expected at least {minimum[name]}")
            problems += [f"{name}: {p}" for p in found]
        problems += check_export(driver, args.root, args.export, args.work, args.screenshots)
    finally:
        driver.quit()
    if problems:
        print("browser check FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"{len(args.notebooks)} notebooks ran in the browser without errors; figures render live and in the export")


if __name__ == "__main__":
    main()
