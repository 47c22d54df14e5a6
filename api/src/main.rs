use clap::Parser;
use relais_api::cli::{Cli, run};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("relais: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
