fn download_all(
    names: impl Iterator<Item = String>,
    bucket: &Bucket,
) -> Result<(), Error> {
    {
        let __failfast_outcome = ::failfast::__private::try_for_each(
            names,
            8,
            |name| {
                {
                    if name.is_empty() {
                        return ::failfast::__private::Outcome::success();
                    }
                    bucket.download(&name)?;
                }
                ::failfast::__private::Outcome::success()
            },
        );
        if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::__private::Fallible::exit(
            __failfast_outcome,
        ) {
            return __failfast_outcome;
        }
    }
    Ok(())
}
