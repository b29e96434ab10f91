//! `cargo bench`: the same figures as `tandem bench`, printed as `bench <name> <value> <unit>` lines.
//! Set `TANDEM_BENCH_QUICK=1` for smaller sizes.

fn main() {
    let quick = std::env::var_os("TANDEM_BENCH_QUICK").is_some();
    if let Err(error) = tandem::bench::run(quick) {
        eprintln!("The benchmark failed: {error}");
        std::process::exit(1);
    }
}
