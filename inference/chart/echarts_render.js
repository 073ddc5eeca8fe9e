// Render ECharts options to SVG files, server-side (no browser): node echarts_render.js JOBS.json
// JOBS.json: [{"option": {...}, "theme": "vintage" | null, "width": 640, "height": 420, "out": "/path/x.svg"}, ...]
// `echarts` is resolved through NODE_PATH (inference/chart/echarts.py installs it into its own folder).
const fs = require('fs');
const echarts = require('echarts');

const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const loaded = new Set();
let failed = 0;
for (const job of jobs) {
  try {
    if (job.theme && !loaded.has(job.theme)) {
      // a UMD file that registers itself with `require('echarts/lib/echarts')`, which under Node is another
      // instance than `require('echarts')`: run it with this instance
      const src = fs.readFileSync(require.resolve('echarts/theme/' + job.theme + '.js'), 'utf8');
      new Function('exports', 'require', 'module', src)({}, () => echarts, {exports: {}});
      loaded.add(job.theme);
    }
    const chart = echarts.init(null, job.theme || null,
      {renderer: 'svg', ssr: true, width: job.width, height: job.height});
    chart.setOption(job.option);
    fs.writeFileSync(job.out, chart.renderToSVGString());
    chart.dispose();
  } catch (e) {
    failed += 1;
    process.stderr.write(job.out + ': ' + e + '\n');
  }
}
process.exit(failed ? 1 : 0);  // SSR keeps timers alive: leave explicitly
