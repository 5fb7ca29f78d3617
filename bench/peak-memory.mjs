// Preloaded into a process the bench measures (node --import): reports its peak resident memory on exit.
process.on('exit', () => process.stderr.write(`\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`));
