fn sync(local: &[File], remote: &[File]) -> Result<(), Error> {
    for file in local {
        println!("{}", file.name);
    }
    {
        let __failfast_outcome = ::failfast::__private::try_for_each(
            remote,
            16,
            |file| {
                {
                    file.fetch()?;
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
    let check = |files: &[File]| -> Result<(), Error> {
        {
            let __failfast_outcome = ::failfast::__private::try_for_each(
                files,
                2,
                |file| {
                    {
                        file.verify()?;
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
    };
    check(local)
}
