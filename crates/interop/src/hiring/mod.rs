//! Hiring files: the CSV files of a job analysis and of applicant rating, read into the hiring
//! domain's records. The job-analysis report (out) is in [`crate::hiring_report`].

pub mod csv;
