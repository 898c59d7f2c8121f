//! Hiring files: the CSV files of a job analysis and of applicant rating, read into the hiring
//! domain's records. The job-analysis report and the other hiring documents (out) are in
//! [`crate::document::hiring`].

pub mod csv;
