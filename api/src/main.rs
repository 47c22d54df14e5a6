use clap::Parser;
use relais_api::cli::{Cli, run};
use relais_api::log_format;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    log_format::init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version are asked for at a terminal: shown as clap writes them.
        Err(e)
            if !log_format::is_json()
                || matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) =>
        {
            e.exit()
        }
        Err(e) => {
            // A misconfigured service (a variable clap cannot read) still logs one object.
            log_format::fatal(e.render().to_string().trim());
            return std::process::ExitCode::from(2);
        }
    };
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            log_format::fatal(&message);
            std::process::ExitCode::FAILURE
        }
    }
}
