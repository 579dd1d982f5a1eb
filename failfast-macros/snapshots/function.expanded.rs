fn download_all(
    names: impl Iterator<Item = String>,
    bucket: &Bucket,
) -> Result<(), Error> {
    {
        let () = {
            let __failfast_outcome = ::failfast::__private::thread_loop(
                names,
                8,
                |name| {
                    if ::failfast::__private::always() {
                        if name.is_empty() {
                            return ::failfast::__private::Flow::success();
                        }
                        bucket.download(&name)?;
                    }
                    ::failfast::__private::Flow::success()
                },
            );
            if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::__private::Fallible::exit(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    Ok(())
}
