use clap::Parser;
use relais_api::cli::{Cli, run};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    relais_api::log_format::init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("relais: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
