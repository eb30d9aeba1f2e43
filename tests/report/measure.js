// What Chromium laid out, for tests/report/test_screenshots.py: written as base64 JSON
// into a hidden element that --dump-dom returns.
(() => {
  const px = (v) => parseFloat(v) || 0;
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const label = (el) => el.tagName.toLowerCase() + ': ' + el.textContent.trim().slice(0, 60);
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.bottom))).size;
  };
  const body = document.body.getBoundingClientRect();
  const right = body.right - px(getComputedStyle(document.body).paddingRight);
  const out = {
    viewport: document.documentElement.clientWidth,
    content_width: right - body.left - px(getComputedStyle(document.body).paddingLeft),
    scroll_width: document.documentElement.scrollWidth,
    wider_than_page: [], overflowing: [], faint: [], small: [],
    sections: [...document.querySelectorAll('body > section')].map((s) => s.id),
    contents: [...document.querySelectorAll('nav.contents a')].map((a) => a.getAttribute('href')),
    h1_lines: lines(document.querySelector('h1')),
    tables: document.querySelectorAll('table').length,
    images: [], verdicts: [], numbers: {right: 0, other: []}, bars: {},
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest('svg, #measured')) continue;
    if (box.right > right + 1) out.wider_than_page.push(label(el));
    if (el.matches('td, th, dd, dt, h1, h2, h3, h4, caption, li, p') && el.scrollWidth > el.clientWidth + 1)
      out.overflowing.push(label(el));
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!text) continue;
    const style = getComputedStyle(el);
    if (px(style.fontSize) < 11) out.small.push(label(el) + ' (' + style.fontSize + ')');
    const ratio = contrast(rgb(style.color).slice(0, 3), background(el));
    if (ratio < 4.5) out.faint.push(label(el) + ' (contrast ' + ratio.toFixed(2) + ')');
  }
  // ids and versions (words with a hyphen or an @) in titles, facts and id cells: one line
  out.broken_ids = [];
  for (const el of document.querySelectorAll('h1, h2, h3, h4, dd, td.id')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.textContent.matchAll(/\S*[-@]\S*/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const rows = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
        if (rows.size > 1) out.broken_ids.push(label(el) + ' (' + word[0] + ')');
      }
    }
  }
  for (const img of document.querySelectorAll('img')) {
    const box = img.getBoundingClientRect();
    out.images.push({kind: 'img', loaded: img.complete && img.naturalWidth > 0, width: box.width, height: box.height});
  }
  for (const svg of document.querySelectorAll('figure svg')) {
    const box = svg.getBoundingClientRect();
    out.images.push({kind: 'svg', loaded: svg.querySelectorAll('path').length > 0, width: box.width, height: box.height});
  }
  for (const group of document.querySelectorAll('g[id^="chart1-"]')) {
    out.bars[group.id.slice(7)] = group.querySelector('path').getBoundingClientRect().height;
  }
  for (const td of document.querySelectorAll('td.verdict')) {
    const color = rgb(getComputedStyle(td).color).slice(0, 3);
    out.verdicts.push({text: td.textContent.trim(), background: background(td), color, lines: lines(td)});
  }
  for (const td of document.querySelectorAll('td.num')) {
    if (getComputedStyle(td).textAlign === 'right') out.numbers.right += 1;
    else out.numbers.other.push(label(td));
  }
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.style.display = 'none';
  pre.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(out))));  // base64 of UTF-8
  document.body.appendChild(pre);
})();
